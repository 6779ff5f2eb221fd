package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.dstream.Group;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.Codecs;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.engine.shuffle.KeyFunction;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** groupBy: one group per encoded key per batch, whatever the key objects' equals says. */
class GroupByTest {
  private EngineHarness harness;

  /** A key whose equals/hashCode are identity: only its encoding says which keys are the same. */
  static final class Token {
    final String label;

    Token(String label) {
      this.label = label;
    }
  }

  record Item(Token token, int value) {}

  private static final KeyFunction<Item> BY_LABEL =
      item -> ByteKey.of(Codecs.utf8().encode(item.token().label));

  /** Items cross the shuffle as their label and value; each decoded item has a fresh Token. */
  private static final ElementCodec<Item> ITEMS =
      new ElementCodec<>() {
        @Override
        public void encode(Item item, OutputStream out) throws IOException {
          DataOutputStream data = new DataOutputStream(out);
          data.writeUTF(item.token().label);
          data.writeInt(item.value());
        }

        @Override
        public Item decode(InputStream in) throws IOException {
          DataInputStream data = new DataInputStream(in);
          return item(data.readUTF(), data.readInt());
        }
      };

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 4})
  void keysWithEqualBytesGroupTogetherEvenIfNotEqualObjects(int parallelism) {
    harness = EngineHarness.create("group", parallelism);
    // A fresh Token per element: grouping by object identity would give one group per element.
    List<Item> first =
        List.of(
            item("a", 1), item("b", 2), item("a", 3), item("c", 4),
            item("b", 5), item("a", 6), item("d", 7));
    List<Item> second = List.of(item("a", 10), item("e", 11), item("a", 12));
    Collected<Group<Item>> out = harness.collect(harness.queue(first, second).groupBy(BY_LABEL, ITEMS));
    harness.start();

    harness.awaitBatches(2);

    Map<String, List<Integer>> batch1 = groupsByLabel(out, 1, parallelism);
    assertThat(batch1.keySet(), containsInAnyOrder("a", "b", "c", "d"));
    assertThat(batch1.get("a"), containsInAnyOrder(1, 3, 6));
    assertThat(batch1.get("b"), containsInAnyOrder(2, 5));
    assertThat(batch1.get("c"), containsInAnyOrder(4));
    assertThat(batch1.get("d"), containsInAnyOrder(7));

    // Groups never span batches.
    Map<String, List<Integer>> batch2 = groupsByLabel(out, 2, parallelism);
    assertThat(batch2.keySet(), containsInAnyOrder("a", "e"));
    assertThat(batch2.get("a"), containsInAnyOrder(10, 12));
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 4})
  void differentBytesAreDifferentGroups(int parallelism) {
    harness = EngineHarness.create("group-bytes", parallelism);
    // "A" and "a" differ in bytes; a case-insensitive equals would not matter to the engine.
    List<Item> data = List.of(item("a", 1), item("A", 2), item("a", 3));
    Collected<Group<Item>> out = harness.collect(harness.queue(data).groupBy(BY_LABEL, ITEMS));
    harness.start();

    harness.awaitBatches(1);

    Map<String, List<Integer>> groups = groupsByLabel(out, 1, parallelism);
    assertThat(groups.get("a"), containsInAnyOrder(1, 3));
    assertThat(groups.get("A"), containsInAnyOrder(2));
  }

  @Test
  void aGroupsElementsAreDecodedOnlyWhenItIsRead() {
    harness = EngineHarness.create("group-lazy", 1);
    AtomicInteger decoded = new AtomicInteger();
    ElementCodec<Item> counting =
        new ElementCodec<>() {
          @Override
          public void encode(Item item, OutputStream out) throws Exception {
            ITEMS.encode(item, out);
          }

          @Override
          public Item decode(InputStream in) throws Exception {
            decoded.incrementAndGet();
            return ITEMS.decode(in);
          }
        };
    List<Integer> decodedSoFar = Collections.synchronizedList(new ArrayList<>());
    List<Item> data = List.of(item("a", 1), item("b", 2), item("a", 3), item("b", 4), item("a", 5));
    harness
        .queue(data)
        .groupBy(BY_LABEL, counting)
        .foreachPartition(
            (groups, task) -> {
              Group<Item> first = groups.next();
              decodedSoFar.add(decoded.get());
              assertThat(first.elements().size(), is(3));
              decodedSoFar.add(decoded.get());
              assertThat(first.elements().stream().map(Item::value).toList(), is(List.of(1, 3, 5)));
              decodedSoFar.add(decoded.get());
              groups.forEachRemaining(group -> {});
              decodedSoFar.add(decoded.get());
            });
    harness.start();

    harness.awaitBatches(1);

    // Nothing decoded until a group's elements are read, then that group's three elements only.
    assertThat(decodedSoFar, is(List.of(0, 0, 3, 3)));
  }

  /**
   * Reads the groups of a batch, checking that each key appears in exactly one group, that the
   * group is in the partition owning its key, and that all its elements carry that key.
   */
  private static Map<String, List<Integer>> groupsByLabel(
      Collected<Group<Item>> out, long batch, int parallelism) {
    Map<String, List<Integer>> byLabel = new HashMap<>();
    for (int p = 0; p < parallelism; p++) {
      for (Group<Item> group : out.partition(batch, p)) {
        String label = new String(group.key().bytes(), StandardCharsets.UTF_8);
        assertThat("partition of group " + label, group.key().partition(parallelism), is(p));
        for (Item element : group.elements()) {
          assertThat(element.token().label, is(label));
        }
        assertThat("a second group for " + label, byLabel, not(hasKey(label)));
        byLabel.put(label, group.elements().stream().map(Item::value).toList());
      }
    }
    return byLabel;
  }

  private static Item item(String label, int value) {
    return new Item(new Token(label), value);
  }
}
