package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.PartitionFunction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stream read by several consumers, or cached, is computed once per batch. */
class CacheAndMultiConsumerTest {
  private EngineHarness harness;
  /** Per batch id, how many elements the counting function has processed. */
  private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 4})
  void twoOutputsOfOneStreamRunItsFunctionOncePerElement(int parallelism) {
    harness = EngineHarness.create("two-outputs", parallelism);
    DStream<Integer> counted =
        harness.queue(List.of(1, 2, 3, 4, 5), List.of(6, 7)).mapPartitions("count", counting());
    Collected<Integer> outA = harness.collect(counted);
    Collected<Integer> outB = harness.collect(counted);
    harness.start();

    harness.awaitBatches(2);

    assertThat(calls.get(1L).get(), is(5));
    assertThat(calls.get(2L).get(), is(2));
    assertThat(outA.batch(1), containsInAnyOrder(1, 2, 3, 4, 5));
    assertThat(outB.batch(1), containsInAnyOrder(1, 2, 3, 4, 5));
    assertThat(outB.batch(2), containsInAnyOrder(6, 7));
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 4})
  void twoDownstreamBranchesShareOneComputationOfTheirParent(int parallelism) {
    harness = EngineHarness.create("branches", parallelism);
    DStream<Integer> counted = harness.queue(List.of(1, 2, 3)).mapPartitions("count", counting());
    Collected<Integer> plus = harness.collect(counted.map(x -> x + 100));
    Collected<Integer> times = harness.collect(counted.filter(x -> x > 1).map(x -> x * 10));
    harness.start();

    harness.awaitBatches(1);

    assertThat(calls.get(1L).get(), is(3));
    assertThat(plus.batch(1), containsInAnyOrder(101, 102, 103));
    assertThat(times.batch(1), containsInAnyOrder(20, 30));
  }

  @Test
  void cacheMaterializesAStreamWithASingleConsumer() {
    harness = EngineHarness.create("cache", 1);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    DStream<Integer> upstream =
        harness
            .queue(List.of(1, 2))
            .map(
                x -> {
                  log.add("up " + x);
                  return x;
                })
            .cache();
    harness.collect(
        upstream.map(
            x -> {
              log.add("down " + x);
              return x;
            }));
    harness.start();

    harness.awaitBatches(1);

    // Cached: the whole batch of the upstream exists before the downstream reads it. Without
    // cache() the two maps fuse and the log interleaves (see NarrowOperatorsTest).
    assertThat(log, contains("up 1", "up 2", "down 1", "down 2"));
    assertThat(upstream.isCached(), is(true));
  }

  @Test
  void cachedStreamIsRecomputedForEveryBatch() {
    harness = EngineHarness.create("cache-batches", 2);
    DStream<Integer> counted =
        harness
            .queue(List.of(1, 2), List.of(3, 4, 5), List.of())
            .mapPartitions("count", counting())
            .cache();
    Collected<Integer> out = harness.collect(counted);
    Collected<Integer> again = harness.collect(counted);
    harness.start();

    harness.awaitBatches(3);

    // A cache holds one batch: batch 2 sees batch 2's data, not batch 1's.
    assertThat(calls.get(1L).get(), is(2));
    assertThat(calls.get(2L).get(), is(3));
    assertThat(calls.getOrDefault(3L, new AtomicInteger()).get(), is(0));
    assertThat(out.batch(2), containsInAnyOrder(3, 4, 5));
    assertThat(again.batch(2), containsInAnyOrder(3, 4, 5));
    assertThat(out.batch(3).isEmpty(), is(true));
  }

  /** An identity partition function that counts, per batch, every element it passes on. */
  private PartitionFunction<Integer, Integer> counting() {
    return (input, task) -> {
      AtomicInteger counter =
          calls.computeIfAbsent(task.batch().batchId(), b -> new AtomicInteger());
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return input.hasNext();
        }

        @Override
        public Integer next() {
          counter.incrementAndGet();
          return input.next();
        }
      };
    };
  }
}
