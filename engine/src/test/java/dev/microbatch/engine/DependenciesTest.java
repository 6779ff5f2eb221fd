package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.driver.ContextState;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Partitions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** mapPartitions with dependencies: every task reads the dependency's whole batch. */
class DependenciesTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 3})
  void everyTaskReadsTheWholeDependencyOfTheSameBatch(int parallelism) {
    harness = EngineHarness.create("deps", parallelism);
    AtomicInteger sideCalls = new AtomicInteger();
    DStream<Integer> main = harness.queue(List.of(1, 2, 3), List.of(4, 5));
    // A narrow stream as the dependency: it has no consumer of its own, so only being declared
    // makes the engine materialize it.
    DStream<Integer> side =
        harness
            .queue(List.of(100, 200), List.of(1000))
            .map(
                x -> {
                  sideCalls.incrementAndGet();
                  return x;
                });
    DStream<Integer> withSide =
        main.mapPartitions(
            "addSide",
            (input, task) -> {
              Partitions<Integer> sideData = task.materialized(side);
              int sum = sideData.all().stream().mapToInt(Integer::intValue).sum();
              List<Integer> out = new ArrayList<>();
              input.forEachRemaining(x -> out.add(x + sum));
              return out.iterator();
            },
            List.of(side));
    Collected<Integer> out = harness.collect(withSide);
    harness.start();

    harness.awaitBatches(2);

    assertThat(out.batch(1), containsInAnyOrder(301, 302, 303));
    assertThat(out.batch(2), containsInAnyOrder(1004, 1005));
    // Materialized once per batch, however many tasks read it: 2 + 1 elements.
    assertThat(sideCalls.get(), is(3));
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 3})
  void dependencyThatIsAlsoConsumedElsewhereIsComputedOnce(int parallelism) {
    harness = EngineHarness.create("deps-shared", parallelism);
    AtomicInteger sideCalls = new AtomicInteger();
    DStream<Integer> side =
        harness
            .queue(List.of(5, 6))
            .map(
                x -> {
                  sideCalls.incrementAndGet();
                  return x;
                });
    DStream<Integer> main = harness.queue(List.of(1));
    DStream<Integer> withCount =
        main.mapPartitions(
            "count",
            (input, task) -> mapEach(input, x -> x + task.materialized(side).all().size()),
            List.of(side));
    Collected<Integer> sideOut = harness.collect(side);
    Collected<Integer> mainOut = harness.collect(withCount);
    harness.start();

    harness.awaitBatches(1);

    assertThat(sideOut.batch(1), containsInAnyOrder(5, 6));
    assertThat(mainOut.batch(1), containsInAnyOrder(3));
    assertThat(sideCalls.get(), is(2));
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 3})
  void readingAnUndeclaredStreamFailsTheContextWithAClearMessage(int parallelism) {
    harness = EngineHarness.create("deps-undeclared", parallelism);
    DStream<Integer> other = harness.queue(List.of(1)).map(x -> x);
    DStream<Integer> main = harness.queue(List.of(1, 2, 3));
    harness.collect(
        main.mapPartitions("sneaky", (input, task) -> task.materialized(other).all().iterator()));
    harness.start();

    harness.tick();
    StreamingFailedException failed =
        assertThrows(StreamingFailedException.class, harness::awaitTermination);

    assertThat(failed.getCause(), instanceOf(IllegalStateException.class));
    assertThat(failed.getCause().getMessage(), containsString("declare it in dependencies()"));
    assertThat(harness.context().state(), is(ContextState.FAILED));
  }

  private static Iterator<Integer> mapEach(
      Iterator<Integer> input, java.util.function.IntUnaryOperator fn) {
    List<Integer> out = new ArrayList<>();
    input.forEachRemaining(x -> out.add(fn.applyAsInt(x)));
    return out.iterator();
  }
}
