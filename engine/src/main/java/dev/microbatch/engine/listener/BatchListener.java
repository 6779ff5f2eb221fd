package dev.microbatch.engine.listener;

/**
 * Hears of every batch, in batch order, on the driver thread. A listener must return quickly; an
 * exception it throws is logged and otherwise ignored.
 */
public interface BatchListener {
  default void onBatchSubmitted(BatchInfo batch) {}

  default void onBatchStarted(BatchInfo batch) {}

  /** Called after the batch has committed. */
  default void onBatchCompleted(BatchInfo batch) {}

  /**
   * Called when a batch failed (nothing of it committed); {@code retried}: it is rolled back and
   * run again, otherwise the pipeline fails with {@code failure}.
   */
  default void onBatchFailed(BatchInfo batch, Throwable failure, boolean retried) {}

  /** Called when a checkpoint is durable, on the checkpoint thread (not the driver's). */
  default void onCheckpointCompleted(CheckpointInfo checkpoint) {}

  /** Called when writing the checkpoint of {@code batchId} failed (on the driver thread). */
  default void onCheckpointFailed(long batchId, Throwable failure) {}

  /** Called once at start when the context resumed from the checkpoint of {@code batchId}. */
  default void onCheckpointRestored(long batchId, long batchTime) {}
}
