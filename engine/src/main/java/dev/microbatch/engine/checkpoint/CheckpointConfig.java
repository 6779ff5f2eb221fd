package dev.microbatch.engine.checkpoint;

import java.util.Objects;

/**
 * How a context checkpoints.
 *
 * @param location the checkpoint directory, any Hadoop file system URI or a local path
 * @param minIntervalMillis the least processing time between two checkpoints; 0 checkpoints every
 *     committed batch
 * @param compactAfterChanges a stage partition's saved state is rewritten whole at the latest once
 *     this many change files follow its last whole one (sooner once the changes hold more keys
 *     than the whole one)
 * @param leaseTimeoutMillis a writer that has not shown life for this long may be taken over
 * @param allowNonRestoredState start from the compatible parts of a checkpoint of a changed
 *     pipeline, dropping the state of stages and inputs that are no longer there
 * @param restoreEveryBatch test only: after every committed batch, throw the in-memory state away
 *     and rebuild it from the checkpoint on disk
 * @param failpoint test only: where to stop the process for a crash test ({@link Failpoint#NONE})
 */
public record CheckpointConfig(
    String location,
    long minIntervalMillis,
    int compactAfterChanges,
    long leaseTimeoutMillis,
    boolean allowNonRestoredState,
    boolean restoreEveryBatch,
    Failpoint failpoint) {

  public static final int DEFAULT_COMPACT_AFTER_CHANGES = 100;

  public CheckpointConfig {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(failpoint, "failpoint");
    if (location.isBlank()) {
      throw new IllegalArgumentException("The checkpoint directory must not be blank.");
    }
    if (minIntervalMillis < 0) {
      throw new IllegalArgumentException(
          "The checkpoint interval must not be negative, got " + minIntervalMillis + " ms.");
    }
    if (compactAfterChanges < 1) {
      throw new IllegalArgumentException(
          "compactAfterChanges must be at least 1, got " + compactAfterChanges + ".");
    }
    if (leaseTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          "The checkpoint lease timeout must be positive, got " + leaseTimeoutMillis + " ms.");
    }
  }

  /** Checkpoints into {@code location} after every committed batch. */
  public static CheckpointConfig at(String location) {
    return new CheckpointConfig(
        location,
        0,
        DEFAULT_COMPACT_AFTER_CHANGES,
        CheckpointStore.DEFAULT_LEASE_TIMEOUT_MILLIS,
        false,
        false,
        Failpoint.NONE);
  }

  public CheckpointConfig withMinInterval(long millis) {
    return new CheckpointConfig(
        location, millis, compactAfterChanges, leaseTimeoutMillis, allowNonRestoredState, restoreEveryBatch, failpoint);
  }

  public CheckpointConfig allowingNonRestoredState(boolean allow) {
    return new CheckpointConfig(
        location, minIntervalMillis, compactAfterChanges, leaseTimeoutMillis, allow, restoreEveryBatch, failpoint);
  }

  public CheckpointConfig restoringEveryBatch(boolean restore) {
    return new CheckpointConfig(
        location, minIntervalMillis, compactAfterChanges, leaseTimeoutMillis, allowNonRestoredState, restore, failpoint);
  }

  public CheckpointConfig withFailpoint(Failpoint point) {
    return new CheckpointConfig(
        location,
        minIntervalMillis,
        compactAfterChanges,
        leaseTimeoutMillis,
        allowNonRestoredState,
        restoreEveryBatch,
        point);
  }

  public CheckpointConfig withCompactAfterChanges(int changes) {
    return new CheckpointConfig(
        location, minIntervalMillis, changes, leaseTimeoutMillis, allowNonRestoredState, restoreEveryBatch, failpoint);
  }
}
