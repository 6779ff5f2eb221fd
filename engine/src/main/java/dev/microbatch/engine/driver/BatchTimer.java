package dev.microbatch.engine.driver;

import dev.microbatch.engine.time.Clock;
import java.util.function.LongConsumer;

/** Posts a batch time at every multiple of the batch interval, on the injected clock. */
final class BatchTimer {
  private final Thread thread;

  BatchTimer(String name, Clock clock, long intervalMillis, LongConsumer onTick) {
    this.thread =
        new Thread(
            () -> {
              long next = (clock.millis() / intervalMillis + 1) * intervalMillis;
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  clock.sleepUntil(next);
                  onTick.accept(next);
                  next += intervalMillis;
                }
              } catch (InterruptedException e) {
                // stopping
              }
            },
            name + "-batch-timer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    thread.interrupt();
    thread.join();
  }
}
