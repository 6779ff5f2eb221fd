package dev.microbatch.streaming;

import dev.microbatch.engine.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A {@link JavaStreamingContext} on a manual clock: a test queues data, runs batches one clock
 * tick at a time and reads what each output saw per batch number (batch time / interval).
 */
final class StreamingHarness implements AutoCloseable {
  static final long INTERVAL = 1_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final ManualClock clock;
  private final JavaStreamingContext ssc;
  private final Object lock = new Object();
  private long completed;

  StreamingHarness(int parallelism) {
    this(parallelism, 0);
  }

  StreamingHarness(int parallelism, long startMillis) {
    this(parallelism, startMillis, conf -> conf);
  }

  /** A harness whose configuration {@code adjust} may change (attempts, where print writes). */
  StreamingHarness(int parallelism, long startMillis, UnaryOperator<StreamingConf> adjust) {
    clock = new ManualClock(startMillis);
    ssc =
        new JavaStreamingContext(
            adjust.apply(
                StreamingConf.of("streaming-test-" + SEQUENCE.incrementAndGet(), Durations.milliseconds(INTERVAL))
                    .withClock(clock)
                    .withParallelism(parallelism)));
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            synchronized (lock) {
              completed++;
              lock.notifyAll();
            }
          }
        });
  }

  JavaStreamingContext ssc() {
    return ssc;
  }

  ManualClock clock() {
    return clock;
  }

  /** A queue input that takes one queued batch per tick, with {@code batches} already queued. */
  @SafeVarargs
  final <T> JavaDStream<T> queue(List<T>... batches) {
    Queue<List<T>> queue = new ConcurrentLinkedQueue<>(List.of(batches));
    return ssc.queueStream(queue, true);
  }

  /** Records every batch of {@code stream} that reaches its output, by batch number. */
  <T> Map<Long, List<T>> collect(JavaDStreamLike<T> stream) {
    Map<Long, List<T>> seen = new ConcurrentHashMap<>();
    stream.foreachRDD((rdd, time) -> seen.put(time.milliseconds() / INTERVAL, new ArrayList<>(rdd.collect())));
    return seen;
  }

  void start() {
    ssc.start();
  }

  /** Moves the clock {@code n} intervals, one at a time, waiting for each batch to complete. */
  void runBatches(int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      long target;
      synchronized (lock) {
        target = completed + 1;
      }
      clock.advance(INTERVAL);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      synchronized (lock) {
        while (completed < target) {
          long left = deadline - System.nanoTime();
          if (ssc.getState().isTerminal()) {
            throw new AssertionError("The context ended before batch " + target + " completed: " + ssc.getState());
          }
          if (left <= 0) {
            throw new AssertionError("Batch " + target + " did not complete in " + TIMEOUT + "; state " + ssc.getState());
          }
          lock.wait(50);
        }
      }
    }
  }

  @Override
  public void close() {
    ssc.stop(false);
  }
}
