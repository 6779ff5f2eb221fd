package dev.microbatch.engine.time;

/** The production clock: the JVM's wall clock. */
public final class SystemClock implements Clock {

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }

  @Override
  public void sleepUntil(long deadline) throws InterruptedException {
    long remaining;
    while ((remaining = deadline - millis()) > 0) {
      Thread.sleep(remaining);
    }
  }
}
