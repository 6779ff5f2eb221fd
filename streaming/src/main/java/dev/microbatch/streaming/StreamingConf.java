package dev.microbatch.streaming;

import dev.microbatch.engine.time.Clock;
import dev.microbatch.engine.time.SystemClock;
import java.io.PrintStream;
import java.util.Objects;

/**
 * How a {@link JavaStreamingContext} runs.
 *
 * @param appName names the context's threads and logs
 * @param batchDuration the batch interval; every window and slide is a multiple of it
 * @param parallelism the number of partitions of every stream (and of worker threads)
 * @param clock processing time; a manual clock in tests decides when batches happen
 * @param maxBatchAttempts how often a failing batch runs (rolled back in between) before the
 *     context fails with the batch's exception
 * @param out where {@code print()} writes
 */
public record StreamingConf(
    String appName, Duration batchDuration, int parallelism, Clock clock, int maxBatchAttempts, PrintStream out) {

  public StreamingConf {
    Objects.requireNonNull(appName, "appName");
    Objects.requireNonNull(batchDuration, "batchDuration");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(out, "out");
    if (batchDuration.milliseconds() <= 0) {
      throw new IllegalArgumentException("The batch duration must be positive, got " + batchDuration + ".");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("The parallelism must be at least 1, got " + parallelism + ".");
    }
    if (maxBatchAttempts < 1) {
      throw new IllegalArgumentException(
          "A batch must be attempted at least once, got maxBatchAttempts " + maxBatchAttempts + ".");
    }
  }

  /** The system clock, a partition per processor, one attempt per batch, printing to stdout. */
  public static StreamingConf of(String appName, Duration batchDuration) {
    return new StreamingConf(
        appName, batchDuration, Runtime.getRuntime().availableProcessors(), new SystemClock(), 1, System.out);
  }

  public StreamingConf withParallelism(int partitions) {
    return new StreamingConf(appName, batchDuration, partitions, clock, maxBatchAttempts, out);
  }

  public StreamingConf withClock(Clock newClock) {
    return new StreamingConf(appName, batchDuration, parallelism, newClock, maxBatchAttempts, out);
  }

  public StreamingConf withMaxBatchAttempts(int attempts) {
    return new StreamingConf(appName, batchDuration, parallelism, clock, attempts, out);
  }

  public StreamingConf withOut(PrintStream printTo) {
    return new StreamingConf(appName, batchDuration, parallelism, clock, maxBatchAttempts, printTo);
  }
}
