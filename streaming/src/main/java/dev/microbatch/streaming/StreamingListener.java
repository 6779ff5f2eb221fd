package dev.microbatch.streaming;

/** Hears of every batch of a context, on the engine's driver thread: keep the work short. */
public interface StreamingListener {
  default void onBatchSubmitted(BatchInfo batch) {}

  default void onBatchStarted(BatchInfo batch) {}

  /** After the batch committed: its outputs ran and its state changes are in. */
  default void onBatchCompleted(BatchInfo batch) {}
}
