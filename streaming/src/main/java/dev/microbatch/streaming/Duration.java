package dev.microbatch.streaming;

/** A span of processing time, such as a batch interval or a window's length. */
public record Duration(long milliseconds) {
  public Duration {
    if (milliseconds < 0) {
      throw new IllegalArgumentException("A duration must not be negative, got " + milliseconds + " ms.");
    }
  }

  public boolean isMultipleOf(Duration other) {
    return other.milliseconds != 0 && milliseconds % other.milliseconds == 0;
  }

  public long div(Duration other) {
    return milliseconds / other.milliseconds;
  }

  public Duration times(long factor) {
    return new Duration(Math.multiplyExact(milliseconds, factor));
  }

  @Override
  public String toString() {
    return milliseconds + " ms";
  }
}
