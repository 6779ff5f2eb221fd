package dev.microbatch.engine.checkpoint;

import java.io.DataInputStream;
import java.io.IOException;

/**
 * The state one partition of a stateful stage keeps across batches, as a checkpoint saves it: the
 * committed version only (a checkpoint is taken between batches, after a commit). A state may save
 * incrementally: a capture then holds only what changed since the previous capture, and a restore
 * applies the last full capture and every later one, in order, to a fresh state.
 */
public interface CheckpointedState {

  /**
   * Captures the committed state: everything when {@code full}, else what changed since the last
   * capture; null when nothing changed and {@code full} is false. Runs on the driver between
   * batches, so it must be cheap (take references to immutable values): the capture is encoded
   * later, on the checkpoint thread, while the next batch runs.
   */
  StateCapture capture(boolean full);

  /** Applies one capture as {@link StateCapture#writeTo} wrote it; runs between batches. */
  void apply(DataInputStream in) throws IOException;

  /**
   * What must stay the same for a checkpoint of this state to be read back (the coders of keys,
   * values and timers), compared before anything is restored.
   */
  String fingerprint();
}
