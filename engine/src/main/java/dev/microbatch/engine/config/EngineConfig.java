package dev.microbatch.engine.config;

import dev.microbatch.engine.checkpoint.CheckpointConfig;
import dev.microbatch.engine.time.Clock;
import dev.microbatch.engine.time.SystemClock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a streaming context ({@code dev.microbatch.engine.StreamingContext}) runs.
 *
 * @param batchInterval processing time between two batches of an idle stream; must be positive
 * @param parallelism the number of partitions of every stream and of worker threads; at least 1
 * @param clock the source of processing time
 * @param stopWhenInputsExhausted whether the context stops by itself once every input is finished
 * @param maxBatchAttempts how often a failing batch is run (rolled back in between) before the
 *     context fails with the batch's first failure; at least 1
 * @param checkpoint where and how often to checkpoint; null: no checkpoints
 */
public record EngineConfig(
    Duration batchInterval,
    int parallelism,
    Clock clock,
    boolean stopWhenInputsExhausted,
    int maxBatchAttempts,
    CheckpointConfig checkpoint) {

  public EngineConfig(
      Duration batchInterval, int parallelism, Clock clock, boolean stopWhenInputsExhausted) {
    this(batchInterval, parallelism, clock, stopWhenInputsExhausted, 1, null);
  }

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
    if (maxBatchAttempts < 1) {
      throw new IllegalArgumentException(
          "A batch must be attempted at least once, got maxBatchAttempts " + maxBatchAttempts + ".");
    }
  }

  /** A configuration on the system clock with one partition per available processor. */
  public static EngineConfig of(Duration batchInterval) {
    return new EngineConfig(
        batchInterval, Runtime.getRuntime().availableProcessors(), new SystemClock(), false);
  }

  public EngineConfig withParallelism(int newParallelism) {
    return new EngineConfig(
        batchInterval, newParallelism, clock, stopWhenInputsExhausted, maxBatchAttempts, checkpoint);
  }

  public EngineConfig withClock(Clock newClock) {
    return new EngineConfig(
        batchInterval, parallelism, newClock, stopWhenInputsExhausted, maxBatchAttempts, checkpoint);
  }

  public EngineConfig stoppingWhenInputsExhausted() {
    return new EngineConfig(batchInterval, parallelism, clock, true, maxBatchAttempts, checkpoint);
  }

  public EngineConfig withMaxBatchAttempts(int attempts) {
    return new EngineConfig(
        batchInterval, parallelism, clock, stopWhenInputsExhausted, attempts, checkpoint);
  }

  public EngineConfig withCheckpoint(CheckpointConfig newCheckpoint) {
    return new EngineConfig(
        batchInterval, parallelism, clock, stopWhenInputsExhausted, maxBatchAttempts, newCheckpoint);
  }
}
