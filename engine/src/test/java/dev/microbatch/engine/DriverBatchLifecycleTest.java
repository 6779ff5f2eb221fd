package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.EngineHarness.Event;
import dev.microbatch.engine.driver.ContextState;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.QueueInputDStream;
import dev.microbatch.engine.listener.BatchInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** How the driver generates, orders and reports batches. */
class DriverBatchLifecycleTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void batchesCommitInOrderAndListenerSeesSubmittedStartedCompleted() {
    harness = EngineHarness.create("lifecycle", 2);
    QueueInputDStream<String> input =
        harness.queue(List.of("a", "b", "c"), List.of("d"), List.of("e", "x", "f"));
    // The filter makes recordsOut differ from recordsIn, so the two cannot be mixed up.
    Collected<String> out = harness.collect(input.filter(s -> !s.equals("x")));
    harness.start();

    harness.awaitBatches(3);
    harness.context().stop(true);

    List<Event> events = harness.listener().events();
    List<String> phases = new ArrayList<>();
    for (Event event : events) {
      phases.add(event.phase() + " " + event.info().batchId());
    }
    // One batch at a time: every batch's three events come before the next batch is submitted.
    assertThat(
        phases,
        contains(
            "submitted 1", "started 1", "completed 1",
            "submitted 2", "started 2", "completed 2",
            "submitted 3", "started 3", "completed 3"));

    List<BatchInfo> completed = harness.listener().completed();
    long[] expectedIn = {3, 1, 3};
    long[] expectedOut = {3, 1, 2};
    for (int i = 0; i < 3; i++) {
      BatchInfo info = completed.get(i);
      assertThat(info.recordsIn(), is(expectedIn[i]));
      assertThat(info.recordsOut(), is(expectedOut[i]));
      // The clock ticks at 1 s, 2 s, 3 s and stands still while a batch runs.
      assertThat(info.batchTime(), is((i + 1) * 1000L));
      assertThat(info.startedAt(), is(info.batchTime()));
      assertThat(info.finishedAt(), is(info.batchTime()));
    }
    // Before completion the counts are not known yet.
    BatchInfo submitted = events.get(0).info();
    assertThat(submitted.startedAt(), is(-1L));
    assertThat(submitted.recordsIn(), is(-1L));

    assertThat(out.batch(1), contains("a", "c", "b"));
    assertThat(out.batch(2), contains("d"));
    assertThat(out.batch(3), contains("e", "f"));
    assertThat(harness.context().state(), is(ContextState.STOPPED));
  }

  @Test
  void dataOfferedWhileRunningArrivesInTheNextBatchAndIdleTicksGiveEmptyBatches() {
    harness = EngineHarness.create("offer", 3);
    QueueInputDStream<Integer> input = harness.queue();
    Collected<Integer> out = harness.collect(input);
    harness.start();

    harness.awaitBatches(1);
    input.offer(List.of(1, 2, 3, 4));
    harness.awaitBatches(2);
    harness.awaitBatches(3);

    assertThat(out.batch(1), is(empty()));
    assertThat(out.batch(2), contains(1, 4, 2, 3));
    assertThat(out.batch(3), is(empty()));
    List<BatchInfo> completed = harness.listener().completed();
    assertThat(completed.get(0).recordsIn(), is(0L));
    assertThat(completed.get(1).recordsIn(), is(4L));
    assertThat(completed.get(2).recordsIn(), is(0L));
  }

  /**
   * The first tick must be fixed when the context starts, not when the timer thread happens to
   * run: a test (or a slow machine) that moves time right after start() must not lose it.
   */
  @RepeatedTest(20)
  void firstTickIsNotLostWhenTimeMovesRightAfterStart() {
    harness = EngineHarness.create("first-tick", 1);
    Collected<Integer> out = harness.collect(harness.queue(List.of(7)));
    harness.start();

    harness.tick();
    harness.listener().awaitCompleted(1, System.nanoTime() + EngineHarness.TIMEOUT.toNanos(),
        harness.context());

    assertThat(out.batch(1), contains(7));
    assertThat(harness.listener().completed().get(0).batchTime(), is(1000L));
  }

  @Test
  void finiteInputStopsTheContextAfterBackToBackBatches() {
    harness = EngineHarness.finite("finite", 2);
    QueueInputDStream<Integer> input = harness.finiteQueue(List.of(1, 2), List.of(3), List.of(4, 5, 6));
    DStream<Integer> doubled = input.map(x -> x * 2);
    Collected<Integer> out = harness.collect(doubled);
    harness.start();

    // No clock advance: a finite input with queued data must not wait for the next interval.
    harness.awaitTermination();

    assertThat(harness.context().state(), is(ContextState.STOPPED));
    assertThat(harness.clock().millis(), is(0L));
    assertThat(input.isExhausted(), is(true));
    List<BatchInfo> completed = harness.listener().completed();
    assertThat(completed.stream().map(BatchInfo::recordsIn).toList(), contains(2L, 1L, 3L));
    for (int i = 1; i < completed.size(); i++) {
      assertThat(completed.get(i - 1).batchTime(), lessThan(completed.get(i).batchTime()));
    }
    assertThat(out.batch(1), contains(2, 4));
    assertThat(out.batch(2), contains(6));
    assertThat(out.batch(3), contains(8, 12, 10));
    assertThat(out.batchIds().size(), equalTo(3));
  }

  @Test
  void finiteInputThatNoOutputReadsDoesNotKeepTheContextRunning() {
    harness = EngineHarness.finite("dangling", 2);
    // Like a bounded source whose PCollection nobody consumes: it must still be read to the end.
    QueueInputDStream<Integer> dangling = harness.finiteQueue(List.of(1), List.of(2, 3));
    Collected<Integer> out = harness.collect(harness.finiteQueue(List.of(10)));
    harness.start();

    harness.awaitTermination();

    assertThat(harness.context().state(), is(ContextState.STOPPED));
    assertThat(dangling.isExhausted(), is(true));
    List<BatchInfo> completed = harness.listener().completed();
    assertThat(completed.stream().map(BatchInfo::recordsIn).toList(), contains(2L, 2L));
    assertThat(out.batch(1), contains(10));
  }

  @Test
  void emptyFiniteInputStopsAfterOneEmptyBatch() {
    harness = EngineHarness.finite("empty", 2);
    DStream<String> empty = harness.context().emptyStream();
    Collected<String> out = harness.collect(empty);
    harness.start();

    harness.awaitTermination();

    assertThat(harness.context().state(), is(ContextState.STOPPED));
    assertThat(harness.listener().completedCount(), is(1));
    assertThat(out.batch(1), is(empty()));
  }
}
