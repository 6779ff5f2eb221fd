package dev.microbatch.engine.checkpoint;

import java.io.IOException;

/**
 * A checkpoint directory cannot be used as asked: another format version, no manifest that
 * validates, or another live writer. The message says what is wrong and where.
 */
public class CheckpointException extends IOException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
