package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.dstream.DStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** union: partition i of the result is partition i of every input, input by input. */
class UnionTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void unionConcatenatesSamePartitionOfEveryInput() {
    harness = EngineHarness.create("union", 2);
    DStream<Integer> a = harness.queue(List.of(1, 2, 3));
    DStream<Integer> b = harness.queue(List.of(10, 20));
    DStream<Integer> c = harness.queue(List.of(100));
    Collected<Integer> out = harness.collect(a.union(b, c));
    harness.start();

    harness.awaitBatches(1);

    // a deals [1,3] / [2], b [10] / [20], c [100] / [].
    assertThat(out.partition(1, 0), contains(1, 3, 10, 100));
    assertThat(out.partition(1, 1), contains(2, 20));
    assertThat(out.partitionsCalled(1), contains(0, 1));
    assertThat(harness.listener().completed().get(0).recordsIn(), is(6L));
  }

  @Test
  void unionTakesEachInputsDataOfTheSameBatch() {
    harness = EngineHarness.create("union-batches", 3);
    DStream<String> a = harness.queue(List.of("a1"), List.of("a2", "a2'"));
    DStream<String> b = harness.queue(List.of(), List.of("b2"), List.of("b3"));
    Collected<String> out = harness.collect(a.map(String::toUpperCase).union(b));
    harness.start();

    harness.awaitBatches(3);

    assertThat(out.batch(1), containsInAnyOrder("A1"));
    assertThat(out.batch(2), containsInAnyOrder("A2", "A2'", "b2"));
    assertThat(out.batch(3), containsInAnyOrder("b3"));
  }

  @Test
  void unionOfAStreamWithItselfSeesEachElementTwiceButReadsTheInputOnce() {
    harness = EngineHarness.create("self-union", 2);
    DStream<Integer> a = harness.queue(List.of(1, 2, 3));
    Collected<Integer> out = harness.collect(a.union(a));
    harness.start();

    harness.awaitBatches(1);

    assertThat(out.batch(1), containsInAnyOrder(1, 1, 2, 2, 3, 3));
    assertThat(harness.listener().completed().get(0).recordsIn(), is(3L));
    assertThat(harness.listener().completed().get(0).recordsOut(), is(6L));
  }
}
