package dev.microbatch.engine.state;

/**
 * State that a batch changes only provisionally: the engine commits the batch's changes once the
 * batch commits, or rolls them back if it fails, so the committed version is always the state as
 * of the last committed batch. Both run on the batch thread, while no task of the state's stage
 * runs.
 */
public interface BatchVersioned {
  /** Makes what batch {@code batchId} changed part of the committed version. */
  void commit(long batchId);

  /**
   * The task of one partition of the state's stage is done with the batch: called on its worker
   * thread, so state can prepare its commit there, while what the task touched is in its cache.
   * Changes may still follow (a rollback, or a later wave of the same batch).
   */
  default void taskDone() {}

  /** Discards every change since the last commit. */
  void rollback();
}
