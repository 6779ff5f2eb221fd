package dev.microbatch.ui;

import java.time.Instant;

/** Watermarks as the UI shows them: Beam's end-of-time bounds as -inf and +inf, others as instants. */
final class Watermark {
  // Beam's smallest and largest timestamps, in milliseconds; the engine's bounds lie beyond them.
  private static final long BEAM_MIN = -9_223_372_036_854_775L;
  private static final long BEAM_MAX = 9_223_372_036_854_775L;

  private Watermark() {}

  static String text(long watermark) {
    if (watermark <= BEAM_MIN) {
      return "-inf";
    }
    if (watermark >= BEAM_MAX) {
      return "+inf";
    }
    return Instant.ofEpochMilli(watermark).toString();
  }

  /** How far the watermark is behind {@code time}, in ms; null when it is at either bound. */
  static Long lagMillis(long time, long watermark) {
    if (watermark <= BEAM_MIN || watermark >= BEAM_MAX) {
      return null;
    }
    return time - watermark;
  }
}
