package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Keyed;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.Codecs;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.engine.shuffle.ElementCodecs;
import dev.microbatch.engine.shuffle.KeyFunction;
import dev.microbatch.engine.shuffle.ShuffleCodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** shuffle / shuffleKeyed: elements move to the partition that owns their encoded key. */
class ShuffleTest {
  private static final int PARALLELISM = 4;
  // Elements are "key:n"; the shuffle key is the UTF-8 bytes of the part before the colon.
  private static final KeyFunction<String> KEY_PREFIX =
      s -> ByteKey.of(Codecs.utf8().encode(s.substring(0, s.indexOf(':'))));

  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 3, PARALLELISM})
  void everyElementOfAKeyLandsInTheKeysPartition(int parallelism) {
    harness = EngineHarness.create("shuffle", parallelism);
    List<String> first = elements(12, 5);
    List<String> second = elements(7, 3);
    Collected<String> out = harness.collect(harness.queue(first, second).shuffle(KEY_PREFIX, ElementCodecs.utf8()));
    harness.start();

    harness.awaitBatches(2);

    assertShuffled(out, 1, first, parallelism);
    assertShuffled(out, 2, second, parallelism);
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, PARALLELISM})
  void shuffleKeyedKeepsTheEncodedKeyWithTheElement(int parallelism) throws Exception {
    harness = EngineHarness.create("shuffle-keyed", parallelism);
    List<String> data = elements(5, 4);
    DStream<Keyed<String>> keyed = harness.queue(data).shuffleKeyed(KEY_PREFIX, ElementCodecs.utf8());
    Collected<Keyed<String>> out = harness.collect(keyed);
    harness.start();

    harness.awaitBatches(1);

    List<String> values = new ArrayList<>();
    for (Keyed<String> element : out.batch(1)) {
      assertThat(element.key(), is(KEY_PREFIX.keyOf(element.value())));
      values.add(element.value());
    }
    assertThat(values, containsInAnyOrder(data.toArray()));
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, PARALLELISM})
  void shuffleAfterNarrowOperatorsAndBeforeMoreOfThem(int parallelism) {
    harness = EngineHarness.create("shuffle-chain", parallelism);
    DStream<Integer> numbers = harness.queue(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    DStream<Integer> chain =
        numbers
            .filter(x -> x != 5)
            .shuffle(x -> ByteKey.of(Codecs.int32().encode(x % 3)), ElementCodecs.int32())
            .map(x -> x * 10);
    Collected<Integer> out = harness.collect(chain);
    harness.start();

    harness.awaitBatches(1);

    assertThat(out.batch(1), containsInAnyOrder(10, 20, 30, 40, 60, 70, 80, 90, 100));
    // Same residue, same partition.
    Map<Integer, Integer> partitionOfResidue = new HashMap<>();
    for (int p = 0; p < parallelism; p++) {
      for (int x : out.partition(1, p)) {
        Integer previous = partitionOfResidue.putIfAbsent((x / 10) % 3, p);
        assertThat("residue of " + x, previous == null || previous == p, is(true));
      }
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, PARALLELISM})
  void theNextStageSeesWhatTheEncodingCarries(int parallelism) {
    harness = EngineHarness.create("shuffle-encoded", parallelism);
    // A codec that keeps only the key part: what crosses is the encoding, not the object.
    ElementCodec<String> keyOnly =
        new ElementCodec<>() {
          @Override
          public void encode(String element, OutputStream out) throws IOException {
            out.write(element.substring(0, element.indexOf(':') + 1).getBytes(StandardCharsets.UTF_8));
          }

          @Override
          public String decode(InputStream in) throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8) + "decoded";
          }
        };
    Collected<String> out =
        harness.collect(harness.queue(List.of("a:1", "b:2", "a:3")).shuffle(KEY_PREFIX, keyOnly));
    harness.start();

    harness.awaitBatches(1);

    assertThat(out.batch(1), containsInAnyOrder("a:decoded", "b:decoded", "a:decoded"));
  }

  @Test
  void anElementThatCannotBeEncodedFailsTheBatchWithTheCodecsException() {
    harness = EngineHarness.finite("shuffle-encode-fails", 2);
    IOException broken = new IOException("cannot encode");
    ElementCodec<String> failing =
        new ElementCodec<>() {
          @Override
          public void encode(String element, OutputStream out) throws IOException {
            if (element.startsWith("b")) {
              throw broken;
            }
            out.write(element.getBytes(StandardCharsets.UTF_8));
          }

          @Override
          public String decode(InputStream in) throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }

          @Override
          public String toString() {
            return "the test's codec";
          }
        };
    harness.collect(harness.finiteQueue(List.of("a:1", "b:2")).shuffle(KEY_PREFIX, failing));
    harness.start();

    StreamingFailedException failed =
        assertThrows(StreamingFailedException.class, harness::awaitTermination);
    assertThat(failed.getCause(), instanceOf(ShuffleCodecException.class));
    assertThat(failed.getCause().getMessage(), containsString("the test's codec"));
    assertThat(failed.getCause().getCause(), sameInstance(broken));
  }

  /** Every element present once, each key in exactly its owner partition, all partitions run. */
  private static void assertShuffled(
      Collected<String> out, long batch, List<String> input, int parallelism) {
    assertThat(out.batch(batch), containsInAnyOrder(input.toArray()));
    assertThat(out.numPartitions(batch), is(parallelism));
    List<Integer> all = new ArrayList<>();
    for (int p = 0; p < parallelism; p++) {
      all.add(p);
    }
    assertThat(out.partitionsCalled(batch), contains(all.toArray()));

    Map<String, Set<Integer>> partitionsOfKey = new HashMap<>();
    for (int p = 0; p < parallelism; p++) {
      for (String element : out.partition(batch, p)) {
        String key = element.substring(0, element.indexOf(':'));
        partitionsOfKey.computeIfAbsent(key, k -> new HashSet<>()).add(p);
      }
    }
    partitionsOfKey.forEach(
        (key, partitions) -> {
          int owner = ByteKey.of(Codecs.utf8().encode(key)).partition(parallelism);
          assertThat("partitions of key " + key, partitions, contains(owner));
        });
  }

  /** {@code keys} keys with {@code perKey} elements each, interleaved so keys start spread out. */
  private static List<String> elements(int keys, int perKey) {
    List<String> out = new ArrayList<>();
    for (int n = 0; n < perKey; n++) {
      for (int k = 0; k < keys; k++) {
        out.add("k" + k + ":" + n);
      }
    }
    return out;
  }
}
