package dev.microbatch.engine.shuffle;

/** An element could not be encoded for a shuffle, or read back from it; the cause says why. */
public final class ShuffleCodecException extends RuntimeException {
  public ShuffleCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
