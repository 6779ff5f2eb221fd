package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stream stored encoded and read by two consumers is encoded once per element, and each
 * consumer decodes elements of its own: what one does to its objects the other never sees.
 */
class EncodedStorageTest {
  private EngineHarness harness;
  private final AtomicInteger encoded = new AtomicInteger();
  private final AtomicInteger decoded = new AtomicInteger();

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  /** A mutable holder of text, encoded as its text. */
  private final ElementCodec<StringBuilder> texts =
      new ElementCodec<>() {
        @Override
        public void encode(StringBuilder text, OutputStream out) throws Exception {
          encoded.incrementAndGet();
          new DataOutputStream(out).writeUTF(text.toString());
        }

        @Override
        public StringBuilder decode(InputStream in) throws Exception {
          decoded.incrementAndGet();
          return new StringBuilder(new DataInputStream(in).readUTF());
        }
      };

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 3})
  void eachConsumerDecodesItsOwnElements(int parallelism) {
    harness = EngineHarness.create("encoded", parallelism);
    DStream<StringBuilder> shared =
        harness.queue(List.of("a", "b", "c", "d")).map(StringBuilder::new).storeEncoded(texts);
    // The first consumer changes the objects it is given; the second must see them unchanged.
    Collected<String> changed = harness.collect(shared.map(text -> text.append("!").toString()));
    Collected<String> untouched = harness.collect(shared.map(StringBuilder::toString));
    harness.start();

    harness.awaitBatches(1);

    assertThat(changed.batch(1), containsInAnyOrder("a!", "b!", "c!", "d!"));
    assertThat(untouched.batch(1), containsInAnyOrder("a", "b", "c", "d"));
    assertThat(encoded.get(), is(4));
    assertThat(decoded.get(), is(8));
  }
}
