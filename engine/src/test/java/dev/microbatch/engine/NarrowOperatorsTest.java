package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.dstream.DStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** map, filter and flatMap: correct results, data stays in its partition, one fused pass. */
class NarrowOperatorsTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 4})
  void chainOfMapFilterFlatMapComputesEveryBatch(int parallelism) {
    harness = EngineHarness.create("narrow", parallelism);
    List<Integer> first = range(1, 11);
    List<Integer> second = range(11, 18);
    DStream<String> chain =
        harness
            .queue(first, second)
            .flatMap(x -> List.of(x, -x))
            .filter(x -> x % 3 != 0)
            .map(x -> "v" + x);
    Collected<String> out = harness.collect(chain);
    harness.start();

    harness.awaitBatches(2);

    assertThat(out.batch(1), containsInAnyOrder(expected(first).toArray()));
    assertThat(out.batch(2), containsInAnyOrder(expected(second).toArray()));
    assertThat(out.partitionsCalled(1).size(), is(parallelism));
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 4})
  void narrowOperatorsKeepEachElementInItsPartitionAndOrder(int parallelism) {
    harness = EngineHarness.create("partition-local", parallelism);
    List<Integer> data = range(0, 13);
    Collected<Integer> out = harness.collect(harness.queue(data).map(x -> x * 100));
    harness.start();

    harness.awaitBatches(1);

    // The queue deals element i to partition i % parallelism; a narrow operation must not move it.
    for (int p = 0; p < parallelism; p++) {
      List<Integer> expected = new ArrayList<>();
      for (int i = p; i < data.size(); i += parallelism) {
        expected.add(data.get(i) * 100);
      }
      assertThat("partition " + p, out.partition(1, p), is(expected));
    }
  }

  @Test
  void chainedOperatorsRunInOnePassPerElement() {
    harness = EngineHarness.create("fusion", 1);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    DStream<Integer> chain =
        harness
            .queue(List.of(1, 2, 3))
            .map(
                x -> {
                  log.add("map " + x);
                  return x;
                })
            .filter(
                x -> {
                  log.add("filter " + x);
                  return x != 2;
                })
            .flatMap(
                x -> {
                  log.add("flatMap " + x);
                  return List.of(x);
                });
    Collected<Integer> out = harness.collect(chain);
    harness.start();

    harness.awaitBatches(1);

    // Fused: each element goes through the whole chain before the next one is read. If the
    // chain were materialized between operators, all "map" entries would come first.
    assertThat(
        log,
        contains(
            "map 1", "filter 1", "flatMap 1",
            "map 2", "filter 2",
            "map 3", "filter 3", "flatMap 3"));
    assertThat(out.batch(1), contains(1, 3));
  }

  @Test
  void flatMapToNothingAndFilterEverythingGiveEmptyBatches() {
    harness = EngineHarness.create("empty-results", 3);
    DStream<Integer> input = harness.queue(range(0, 10));
    Collected<Integer> none = harness.collect(input.flatMap(x -> List.<Integer>of()));
    Collected<Integer> rejected = harness.collect(input.filter(x -> false));
    harness.start();

    harness.awaitBatches(1);

    assertThat(none.batch(1).isEmpty(), is(true));
    assertThat(rejected.batch(1).isEmpty(), is(true));
    assertThat(harness.listener().completed().get(0).recordsOut(), is(0L));
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  private static List<String> expected(List<Integer> input) {
    return input.stream()
        .flatMap(x -> java.util.stream.Stream.of(x, -x))
        .filter(x -> x % 3 != 0)
        .map(x -> "v" + x)
        .toList();
  }
}
