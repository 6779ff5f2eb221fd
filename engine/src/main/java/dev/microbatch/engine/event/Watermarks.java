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

  private Watermarks() {}
}
