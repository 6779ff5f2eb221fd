package dev.microbatch.engine.event;

/**
 * Event time in the engine: milliseconds, with {@link #MIN} for "nothing is known yet" and {@link
 * #MAX} for "no more data will ever come" (a finished input). A watermark is a promise that no
 * element with an earlier timestamp will arrive on time.
 */
public final class Watermarks {
  /** Minus infinity: the watermark of a stage that has promised nothing yet. */
  public static final long MIN = Long.MIN_VALUE;

  /** Plus infinity: the watermark of a stage whose input is complete. */
  public static final long MAX = Long.MAX_VALUE;

  // The smallest and largest timestamps of event-time APIs such as Beam's, in milliseconds; the
  // engine's own bounds lie beyond them.
  private static final long EARLIEST_TIMESTAMP = -9_223_372_036_854_775L;
  private static final long LATEST_TIMESTAMP = 9_223_372_036_854_775L;

  private Watermarks() {}

  /** Whether {@code watermark} is a real time, not at or beyond either end of time. */
  public static boolean isFinite(long watermark) {
    return watermark > EARLIEST_TIMESTAMP && watermark < LATEST_TIMESTAMP;
  }

  /** {@code watermark} for people: -inf, +inf, or an ISO-8601 instant. */
  public static String text(long watermark) {
    if (watermark <= EARLIEST_TIMESTAMP) {
      return "-inf";
    }
    if (watermark >= LATEST_TIMESTAMP) {
      return "+inf";
    }
    return java.time.Instant.ofEpochMilli(watermark).toString();
  }
}
