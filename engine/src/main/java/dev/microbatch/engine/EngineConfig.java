package dev.microbatch.engine;

import dev.microbatch.engine.time.Clock;
import dev.microbatch.engine.time.SystemClock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link StreamingContext} runs.
 *
 * @param batchInterval processing time between two batches of an idle stream; must be positive
 * @param parallelism the number of partitions of every stream and of worker threads; at least 1
 * @param clock the source of processing time
 * @param stopWhenInputsExhausted whether the context stops by itself once every input is finished
 */
public record EngineConfig(
    Duration batchInterval, int parallelism, Clock clock, boolean stopWhenInputsExhausted) {

  public EngineConfig {
    Objects.requireNonNull(batchInterval, "batchInterval");
    Objects.requireNonNull(clock, "clock");
    if (batchInterval.isNegative() || batchInterval.isZero()) {
      throw new IllegalArgumentException(
          "The batch interval must be positive, got " + batchInterval + ". Pass e.g. 500 ms.");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException(
          "The parallelism must be at least 1, got " + parallelism + ".");
    }
  }

  /** A configuration on the system clock with one partition per available processor. */
  public static EngineConfig of(Duration batchInterval) {
    return new EngineConfig(
        batchInterval, Runtime.getRuntime().availableProcessors(), new SystemClock(), false);
  }

  public EngineConfig withParallelism(int newParallelism) {
    return new EngineConfig(batchInterval, newParallelism, clock, stopWhenInputsExhausted);
  }

  public EngineConfig withClock(Clock newClock) {
    return new EngineConfig(batchInterval, parallelism, newClock, stopWhenInputsExhausted);
  }

  public EngineConfig stoppingWhenInputsExhausted() {
    return new EngineConfig(batchInterval, parallelism, clock, true);
  }
}
