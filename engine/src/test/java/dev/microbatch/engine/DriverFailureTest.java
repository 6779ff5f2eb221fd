package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.driver.ContextState;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.QueueInputDStream;
import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.BatchListener;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.Codecs;
import dev.microbatch.engine.shuffle.ElementCodecs;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An exception in user code fails the context, keeps the original exception, leaks nothing. */
class DriverFailureTest {
  private EngineHarness harness;
  /** The exact exception instance user code threw. */
  private final AtomicReference<Throwable> thrown = new AtomicReference<>();

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 4})
  void exceptionInAMapFunctionFailsTheContextWithTheSameException(int parallelism)
      throws InterruptedException {
    harness = EngineHarness.create("map-fails", parallelism);
    AtomicInteger closed = new AtomicInteger();
    harness.context().addCloseHook(closed::incrementAndGet);
    DStream<Integer> mapped =
        harness.queue(List.of(1, 2), List.of(3, 4, 5)).map(x -> x == 4 ? boom() : x);
    Collected<Integer> out = harness.collect(mapped);
    harness.start();
    harness.awaitBatches(1);

    harness.tick();
    assertFailedWithThrownException();

    // Batch 1 committed, batch 2 did not.
    assertThat(harness.listener().completed().stream().map(BatchInfo::batchId).toList(),
        contains(1L));
    assertThat(out.batch(1), contains(1, 2));
    assertThat(closed.get(), is(1));
    assertThat(harness.liveThreads(), is(empty()));
  }

  @Test
  void exceptionInAShuffleKeyFunctionFailsTheContextWithTheSameException()
      throws InterruptedException {
    harness = EngineHarness.finite("key-fails", 3);
    // The key function runs in a stage of its own, before the output stage.
    DStream<String> shuffled =
        harness
            .finiteQueue(List.of("a", "b", "bad", "c"))
            .shuffle(s -> s.equals("bad") ? boom() : ByteKey.of(Codecs.utf8().encode(s)), ElementCodecs.utf8());
    harness.collect(shuffled);
    harness.start();

    assertFailedWithThrownException();
    assertThat(harness.listener().completed(), is(empty()));
    assertThat(harness.liveThreads(), is(empty()));
  }

  @Test
  void failuresOfSeveralTasksOfAStageAreKeptTheFirstWithTheOthersSuppressed() {
    harness = EngineHarness.finite("two-fail", 2);
    // Both tasks are running before either fails (a task not yet started when its stage has
    // failed is skipped), so both failures must be kept.
    CountDownLatch bothRunning = new CountDownLatch(2);
    harness
        .finiteQueue(List.of(1, 2, 3, 4))
        .foreachPartition(
            (partition, task) -> {
              bothRunning.countDown();
              bothRunning.await(10, TimeUnit.SECONDS);
              throw new IllegalStateException("partition " + task.partition() + " failed");
            });
    harness.start();

    StreamingFailedException failed =
        assertThrows(StreamingFailedException.class, harness::awaitTermination);

    Throwable first = failed.getCause();
    assertThat(first.getSuppressed().length, is(1));
    assertThat(
        List.of(first.getMessage(), first.getSuppressed()[0].getMessage()).stream().sorted().toList(),
        contains("partition 0 failed", "partition 1 failed"));
  }

  @Test
  void checkedExceptionInAnOutputFailsTheContextUnwrapped() throws InterruptedException {
    harness = EngineHarness.finite("output-fails", 2);
    harness
        .finiteQueue(List.of(1, 2, 3))
        .foreachPartition(
            (partition, task) -> {
              if (task.partition() == 1) {
                IOException e = new IOException("disk full");
                thrown.set(e);
                throw e;
              }
            });
    harness.start();

    assertFailedWithThrownException();
    assertThat(harness.liveThreads(), is(empty()));
  }

  @Test
  void failedBatchDoesNotCommitQueueProgress() {
    harness = EngineHarness.finite("no-commit", 2);
    QueueInputDStream<Integer> input = harness.finiteQueue(List.of(1, 2), List.of(3, 4));
    Collected<Integer> out = harness.collect(input.map(x -> x == 3 ? boom() : x));
    harness.start();

    assertFailedWithThrownException();

    // Had batch 2 committed its read, the two-batch queue would count as exhausted.
    assertThat(input.isExhausted(), is(false));
    assertThat(harness.listener().completed().size(), is(1));
    assertThat(out.batch(1), contains(1, 2));
  }

  @Test
  void failingListenerIsIgnored() {
    harness = EngineHarness.finite("bad-listener", 1);
    harness.context().addBatchListener(
        new BatchListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            throw new IllegalStateException("listener bug");
          }
        });
    Collected<Integer> out = harness.collect(harness.finiteQueue(List.of(1), List.of(2)));
    harness.start();

    harness.awaitTermination();

    assertThat(harness.context().state(), is(ContextState.STOPPED));
    assertThat(out.batch(2), contains(2));
  }

  /**
   * Waits for the failure and checks both awaitTermination forms report the thrown instance,
   * with the stack trace of where user code threw it.
   */
  private void assertFailedWithThrownException() {
    StreamingFailedException failed =
        assertThrows(StreamingFailedException.class, harness::awaitTermination);
    Throwable original = thrown.get();
    assertThat(original, notNullValue());
    assertThat(failed.getCause(), sameInstance(original));
    assertThat(harness.context().failure(), sameInstance(original));
    assertThat(harness.context().state(), is(ContextState.FAILED));
    StreamingFailedException again =
        assertThrows(StreamingFailedException.class, () -> harness.context().awaitTermination());
    assertThat(again.getCause(), sameInstance(original));
    boolean thrownHere =
        Arrays.stream(original.getStackTrace())
            .anyMatch(frame -> frame.getClassName().startsWith(getClass().getName()));
    assertThat("stack trace points into the test's user code", thrownHere, is(true));
  }

  /** Throws a fresh exception from user code, remembering the instance. */
  private <T> T boom() {
    IllegalArgumentException e = new IllegalArgumentException("boom");
    thrown.set(e);
    throw e;
  }
}
