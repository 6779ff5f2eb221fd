package dev.microbatch.engine;

/** Thrown by {@link StreamingContext#awaitTermination()} when a batch failed; the cause is the original exception. */
public final class StreamingFailedException extends RuntimeException {
  public StreamingFailedException(Throwable cause) {
    super("The streaming context failed: " + cause, cause);
  }
}
