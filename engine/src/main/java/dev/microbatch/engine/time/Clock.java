package dev.microbatch.engine.time;

/**
 * The engine's only source of processing time. Engine code never reads the wall clock directly, so
 * tests can drive time with a {@link ManualClock}.
 */
public interface Clock {

  /** The current processing time in milliseconds since the epoch. */
  long millis();

  /**
   * Blocks until {@link #millis()} is at least {@code deadline}.
   *
   * @throws InterruptedException if the waiting thread is interrupted (used to stop timers)
   */
  void sleepUntil(long deadline) throws InterruptedException;
}
