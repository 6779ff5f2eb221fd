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

  /** Discards every change since the last commit. */
  void rollback();
}
