package dev.microbatch.engine.driver;

import dev.microbatch.engine.time.Clock;
import java.util.function.LongConsumer;

/** Posts a batch time at every multiple of the batch interval, on the injected clock. */
final class BatchTimer {
  private final Thread thread;

  BatchTimer(String name, Clock clock, long intervalMillis, LongConsumer onTick) {
    // The first tick is fixed now, on the thread that starts the engine: computed inside the timer
    // thread, it would depend on when that thread first runs, and a tick could be lost.
    long first = (clock.millis() / intervalMillis + 1) * intervalMillis;
    this.thread =
        new Thread(
            () -> {
              long next = first;
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
