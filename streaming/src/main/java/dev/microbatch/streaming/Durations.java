package dev.microbatch.streaming;

/** Makes {@link Duration}s. */
public final class Durations {
  private Durations() {}

  public static Duration milliseconds(long millis) {
    return new Duration(millis);
  }

  public static Duration seconds(long seconds) {
    return new Duration(Math.multiplyExact(seconds, 1_000L));
  }

  public static Duration minutes(long minutes) {
    return new Duration(Math.multiplyExact(minutes, 60_000L));
  }
}
