package dev.microbatch.engine.checkpoint;

import java.io.DataOutputStream;
import java.io.IOException;

/** What {@link CheckpointedState#capture} took: encoded later, off the batch thread. */
public interface StateCapture {
  /** Whether this capture holds the whole state (a restore may start from it). */
  boolean full();

  /** The number of entries (keys) it holds, for the checkpoint's statistics. */
  long entries();

  /** Writes the capture; on the checkpoint thread, straight to its data file. */
  void writeTo(DataOutputStream out) throws IOException;
}
