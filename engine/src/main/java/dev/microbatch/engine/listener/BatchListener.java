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
}
