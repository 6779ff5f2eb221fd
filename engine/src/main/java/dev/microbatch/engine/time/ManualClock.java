package dev.microbatch.engine.time;

/** A clock that only moves when a test tells it to; sleepers wake when it passes their deadline. */
public final class ManualClock implements Clock {
  private long now;

  public ManualClock(long startMillis) {
    this.now = startMillis;
  }

  @Override
  public synchronized long millis() {
    return now;
  }

  /** Moves time forward by {@code millis} and wakes every sleeper whose deadline has passed. */
  public synchronized void advance(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("A manual clock cannot go backwards, got " + millis);
    }
    now += millis;
    notifyAll();
  }

  /** Sets the time, which must not be earlier than the current time. */
  public synchronized void setTime(long millis) {
    advance(millis - now);
  }

  @Override
  public synchronized void sleepUntil(long deadline) throws InterruptedException {
    while (now < deadline) {
      wait();
    }
  }
}
