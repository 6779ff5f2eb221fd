package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.EngineHarness.Event;
import dev.microbatch.engine.driver.ContextState;
import dev.microbatch.engine.dstream.QueueInputDStream;
import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.BatchListener;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stopping: graceful lets the running batch commit, non-graceful abandons it. */
class DriverStopTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void gracefulStopLetsTheRunningBatchCommitAndRunsNoMore() throws InterruptedException {
    harness = EngineHarness.finite("graceful", 2);
    QueueInputDStream<Integer> input = harness.finiteQueue(List.of(1, 2), List.of(3));
    CountDownLatch stopRequested = new CountDownLatch(1);
    // Ask for the stop while batch 1 runs: the listener runs on the driver thread, and the
    // output waits until the request is queued, so the driver sees it before batch 1 finishes.
    harness.context().addBatchListener(
        new BatchListener() {
          @Override
          public void onBatchStarted(BatchInfo batch) {
            if (batch.batchId() == 1) {
              harness.context().stop(true);
              stopRequested.countDown();
            }
          }
        });
    Collected<Integer> out = harness.collect(input.mapPartitions("wait", (it, task) -> {
      awaitOrFail(stopRequested);
      return it;
    }));
    harness.start();

    harness.awaitTermination();

    assertThat(harness.context().state(), is(ContextState.STOPPED));
    assertThat(harness.context().failure(), is(nullValue()));
    assertThat(phases(), contains("submitted 1", "started 1", "completed 1"));
    assertThat(out.batch(1), contains(1, 2));
    // Batch 2 was never read, although the finite input would have run it at once.
    assertThat(out.batchIds(), contains(1L));
    assertThat(input.isExhausted(), is(false));
    assertThat(harness.liveThreads(), is(empty()));
  }

  @Test
  void nonGracefulStopAbandonsTheRunningBatch() throws InterruptedException {
    harness = EngineHarness.finite("abrupt", 1);
    QueueInputDStream<Integer> input = harness.finiteQueue(List.of(1, 2, 3));
    CountDownLatch running = new CountDownLatch(1);
    AtomicInteger sawCancel = new AtomicInteger();
    input.foreachPartition(
        (partition, task) -> {
          running.countDown();
          // Cooperative cancellation: the task learns of the stop through isCancelled().
          long deadline = System.nanoTime() + EngineHarness.TIMEOUT.toNanos();
          while (!task.isCancelled()) {
            if (System.nanoTime() > deadline) {
              throw new AssertionError("the task never saw the cancellation");
            }
            Thread.sleep(5);
          }
          sawCancel.incrementAndGet();
        });
    harness.start();
    awaitOrFail(running);

    harness.context().stop(false); // returns once stopped

    assertThat(harness.context().state(), is(ContextState.STOPPED));
    assertThat(harness.context().failure(), is(nullValue()));
    harness.context().awaitTermination(); // a stop is not a failure: must not throw
    assertThat(sawCancel.get(), is(1));
    // Abandoned: nothing committed, no completion reported.
    assertThat(phases(), contains("submitted 1", "started 1"));
    assertThat(input.isExhausted(), is(false));
    assertThat(harness.liveThreads(), is(empty()));
  }

  @Test
  void stopWhileIdleStopsAtOnceAndRunsCloseHooksOnce() throws InterruptedException {
    harness = EngineHarness.create("idle", 2);
    AtomicInteger closed = new AtomicInteger();
    harness.context().addCloseHook(closed::incrementAndGet);
    harness.collect(harness.queue(List.of(1)));
    harness.start();
    harness.awaitBatches(2);

    harness.context().stop(true);
    harness.context().stop(true); // stopping twice is harmless

    assertThat(harness.context().state(), is(ContextState.STOPPED));
    assertThat(closed.get(), is(1));
    assertThat(harness.listener().completedCount(), is(2));
    assertThat(harness.liveThreads(), is(empty()));
    // A stopped context does not come back.
    harness.tick();
    assertThat(harness.listener().completedCount(), is(2));
  }

  @Test
  void contextRunsOnlyOnceAndRejectsChangesAfterStart() {
    harness = EngineHarness.create("once", 1);
    harness.collect(harness.queue(List.of(1)));
    harness.start();

    assertThrows(IllegalStateException.class, () -> harness.context().start());
    assertThrows(IllegalStateException.class, () -> harness.queue(List.of(2)));
    assertThrows(IllegalStateException.class,
        () -> harness.context().addBatchListener(new BatchListener() {}));
  }

  @Test
  void stopBeforeStartIsRejected() {
    harness = EngineHarness.create("never", 1);
    assertThrows(IllegalStateException.class, () -> harness.context().stop(true));
    assertThat(harness.context().state(), is(ContextState.INITIALIZED));
  }

  private List<String> phases() {
    return harness.listener().events().stream()
        .map((Event e) -> e.phase() + " " + e.info().batchId())
        .toList();
  }

  private static void awaitOrFail(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(EngineHarness.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("timed out waiting for the engine");
    }
  }
}
