package dev.microbatch.streaming;

/** The processing time of a batch, in milliseconds since the epoch. */
public record Time(long milliseconds) implements Comparable<Time> {
  @Override
  public int compareTo(Time other) {
    return Long.compare(milliseconds, other.milliseconds);
  }

  @Override
  public String toString() {
    return milliseconds + " ms";
  }
}
