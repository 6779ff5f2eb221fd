package dev.microbatch.ui;

import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.BatchListener;
import dev.microbatch.engine.listener.CheckpointInfo;
import dev.microbatch.engine.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hears of every batch on the driver thread and hands what it heard to a collector thread of its
 * own, which updates the {@link StatusStore}: the driver only enqueues, so the UI costs a batch
 * nothing it would wait for. The queue is bounded; when it is full (the collector far behind)
 * events are dropped and counted rather than slowing the pipeline.
 */
public final class JobStatus implements BatchListener, AutoCloseable {
  private static final int QUEUE = 10_000;
  private final StatusStore store;
  private final Clock clock;
  private final ThreadPoolExecutor collector;
  private final AtomicLong dropped = new AtomicLong();

  public JobStatus(StatusStore store, Clock clock, String threadName) {
    this.store = store;
    this.clock = clock;
    this.collector =
        new ThreadPoolExecutor(
            1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
            task -> {
              Thread thread = new Thread(task, threadName);
              thread.setDaemon(true);
              return thread;
            },
            (task, executor) -> dropped.incrementAndGet());
  }

  public StatusStore store() {
    return store;
  }

  /** Events the collector could not keep up with. */
  public long droppedEvents() {
    return dropped.get();
  }

  @Override
  public void onBatchSubmitted(BatchInfo batch) {
    collector.execute(() -> store.submitted(batch));
  }

  @Override
  public void onBatchStarted(BatchInfo batch) {
    collector.execute(() -> store.started(batch));
  }

  @Override
  public void onBatchCompleted(BatchInfo batch) {
    collector.execute(() -> store.completed(batch));
  }

  @Override
  public void onBatchFailed(BatchInfo batch, Throwable failure, boolean retried) {
    long at = clock.millis();
    String reason = FailureText.of(failure);
    collector.execute(() -> store.failed(batch, reason, retried, at));
  }

  @Override
  public void onCheckpointCompleted(CheckpointInfo checkpoint) {
    collector.execute(() -> store.checkpointed(checkpoint));
  }

  @Override
  public void onCheckpointFailed(long batchId, Throwable failure) {
    String reason = failure.toString();
    collector.execute(() -> store.checkpointFailed(batchId, reason));
  }

  @Override
  public void onCheckpointRestored(long batchId, long batchTime) {
    collector.execute(() -> store.restored(batchId));
  }

  @Override
  public void close() {
    collector.shutdown();
  }
}
