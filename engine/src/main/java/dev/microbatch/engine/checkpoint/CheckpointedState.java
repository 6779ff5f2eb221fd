package dev.microbatch.engine.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

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
   * Restores a fresh state from a chain of captures (a whole one, then later ones, as written). By
   * default it applies them in order; a state whose keys the chain repeats may merge it first, so
   * that a restore applies each key once.
   */
  default void applyChain(List<byte[]> chain) throws IOException {
    for (byte[] capture : chain) {
      apply(new DataInputStream(new ByteArrayInputStream(capture)));
    }
  }

  /**
   * Merges a chain of captures (a whole one, then later ones, as written) into one whole capture,
   * on the checkpoint thread and on a fresh state of the stage, never the live one. By default the
   * fresh state applies the chain and captures itself whole; a state may merge the bytes instead.
   */
  default StateCapture merge(List<byte[]> chain) throws IOException {
    for (byte[] capture : chain) {
      apply(new DataInputStream(new ByteArrayInputStream(capture)));
    }
    return capture(true);
  }

  /**
   * What must stay the same for a checkpoint of this state to be read back (the coders of keys,
   * values and timers), compared before anything is restored.
   */
  String fingerprint();
}
