package dev.microbatch.engine.checkpoint;

/**
 * This writer's lease was taken over by a newer writer (a higher epoch), so it must not commit
 * or delete anything any more.
 */
public final class WriterFencedException extends CheckpointException {
  public WriterFencedException(String message) {
    super(message);
  }
}
