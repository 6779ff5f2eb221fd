package dev.microbatch.ui;

import dev.microbatch.engine.event.Watermarks;

/** Watermarks as the UI shows them: text as the engine writes it, and their lag behind a time. */
final class Watermark {
  private Watermark() {}

  static String text(long watermark) {
    return Watermarks.text(watermark);
  }

  /** How far the watermark is behind {@code time}, in ms; null when it is at either end of time. */
  static Long lagMillis(long time, long watermark) {
    return Watermarks.isFinite(watermark) ? time - watermark : null;
  }
}
