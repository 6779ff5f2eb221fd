package dev.microbatch.engine.recovery;

import dev.microbatch.engine.checkpoint.CheckpointException;
import java.util.List;

/** The checkpoint was written by a different pipeline; lists every difference found. */
public final class IncompatibleCheckpointException extends CheckpointException {
  private final List<String> differences;

  IncompatibleCheckpointException(String location, List<String> differences) {
    super(
        "The checkpoint in "
            + location
            + " does not match this pipeline ("
            + differences.size()
            + (differences.size() == 1 ? " difference" : " differences")
            + "):\n  - "
            + String.join("\n  - ", differences)
            + "\nRun the pipeline that wrote it, use a new checkpoint directory, or set"
            + " allowNonRestoredState to start from the parts that match and drop the rest.");
    this.differences = List.copyOf(differences);
  }

  public List<String> differences() {
    return differences;
  }
}
