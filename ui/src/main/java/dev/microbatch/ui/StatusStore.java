package dev.microbatch.ui;

import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.CheckpointInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batches of one pipeline as the UI shows them: the active ones, the last {@code retained}
 * finished ones, and running totals over all. Changed by the collector thread of {@link
 * JobStatus}, read by the HTTP threads through {@link #snapshot}.
 */
public final class StatusStore {
  private final JobInfo job;
  private final int retained;
  private final Map<Long, BatchRecord> active = new LinkedHashMap<>();
  private final ArrayDeque<BatchRecord> finished = new ArrayDeque<>();
  private long completedBatches;
  private long failedBatches;
  private long failedAttempts;
  private long recordsIn;
  private long recordsOut;
  private final ArrayDeque<CheckpointInfo> checkpoints = new ArrayDeque<>();
  private long completedCheckpoints;
  private long failedCheckpoints;
  private String lastCheckpointFailure;
  private long restoredBatch = -1;

  public StatusStore(JobInfo job, int retained) {
    if (retained < 1) {
      throw new IllegalArgumentException("The UI must retain at least one batch, not " + retained);
    }
    this.job = job;
    this.retained = retained;
  }

  synchronized void submitted(BatchInfo batch) {
    BatchRecord known = active.get(batch.batchId());
    active.put(
        batch.batchId(),
        known != null
            ? known.with(BatchRecord.Status.QUEUED, -1, -1, -1, -1)
            : new BatchRecord(
                batch.batchId(), batch.batchTime(), BatchRecord.Status.QUEUED, batch.submittedAt(),
                -1, -1, -1, -1, 1, null, List.of(), List.of(), -1));
  }

  synchronized void started(BatchInfo batch) {
    BatchRecord known = active.get(batch.batchId());
    if (known != null) {
      active.put(batch.batchId(), known.with(BatchRecord.Status.PROCESSING, batch.startedAt(), -1, -1, -1));
    }
  }

  synchronized void completed(BatchInfo batch) {
    BatchRecord known = active.remove(batch.batchId());
    List<InputRecord> inputs = new ArrayList<>(batch.inputs().size());
    batch.inputs().forEach(input -> inputs.add(InputRecord.of(input)));
    BatchRecord started =
        known != null
            ? known
            : new BatchRecord(
                batch.batchId(), batch.batchTime(), BatchRecord.Status.QUEUED, batch.submittedAt(), -1, -1, -1, -1, 1,
                null, List.of(), List.of(), -1);
    BatchRecord done =
        started
            .with(
                BatchRecord.Status.COMPLETED, batch.startedAt(), batch.finishedAt(), batch.recordsIn(),
                batch.recordsOut())
            .withDetails(batch.stages(), List.copyOf(inputs), batch.recordLimitPerPartition());
    completedBatches++;
    recordsIn += Math.max(0, batch.recordsIn());
    recordsOut += Math.max(0, batch.recordsOut());
    retain(done);
  }

  synchronized void failed(BatchInfo batch, String failure, boolean retried, long now) {
    failedAttempts++;
    BatchRecord known = active.get(batch.batchId());
    if (known == null) {
      known =
          new BatchRecord(
              batch.batchId(), batch.batchTime(), BatchRecord.Status.QUEUED, batch.submittedAt(),
              batch.startedAt(), -1, -1, -1, 1, null, List.of(), List.of(), -1);
    }
    if (retried) {
      active.put(batch.batchId(), known.failedAttempt(failure, BatchRecord.Status.QUEUED, now));
    } else {
      active.remove(batch.batchId());
      failedBatches++;
      retain(known.failedAttempt(failure, BatchRecord.Status.FAILED, now));
    }
  }

  synchronized void checkpointed(CheckpointInfo checkpoint) {
    completedCheckpoints++;
    checkpoints.addLast(checkpoint);
    while (checkpoints.size() > retained) {
      checkpoints.removeFirst();
    }
  }

  synchronized void checkpointFailed(long batchId, String failure) {
    failedCheckpoints++;
    lastCheckpointFailure = "batch " + batchId + ": " + failure;
  }

  synchronized void restored(long batchId) {
    restoredBatch = batchId;
  }

  private void retain(BatchRecord done) {
    finished.addLast(done);
    while (finished.size() > retained) {
      finished.removeFirst();
    }
  }

  /** A consistent copy of everything the UI shows. */
  public synchronized StatusSnapshot snapshot(long now) {
    return new StatusSnapshot(
        job, now, new ArrayList<>(active.values()), new ArrayList<>(finished), completedBatches,
        failedBatches, failedAttempts, recordsIn, recordsOut,
        new Checkpoints(new ArrayList<>(checkpoints), completedCheckpoints, failedCheckpoints,
            lastCheckpointFailure, restoredBatch));
  }

  /**
   * The checkpoints: the last ones (oldest first), counts, the last failure and the batch a
   * restore resumed after (-1: the run started fresh).
   */
  public record Checkpoints(
      List<CheckpointInfo> recent, long completed, long failed, String lastFailure, long restoredBatch) {}

  /**
   * Everything at one moment: finished batches oldest first (at most the retained number).
   *
   * @param now processing time of the snapshot
   */
  public record StatusSnapshot(
      JobInfo job,
      long now,
      List<BatchRecord> active,
      List<BatchRecord> finished,
      long completedBatches,
      long failedBatches,
      long failedAttempts,
      long recordsIn,
      long recordsOut,
      Checkpoints checkpoints) {

    /** The average of {@code value} over completed batches that have it, or null if none. */
    public Double averageOverCompleted(java.util.function.ToLongFunction<BatchRecord> value) {
      long sum = 0;
      int count = 0;
      for (BatchRecord batch : finished) {
        long v = value.applyAsLong(batch);
        if (batch.status() == BatchRecord.Status.COMPLETED && v >= 0) {
          sum += v;
          count++;
        }
      }
      return count == 0 ? null : (double) sum / count;
    }

    /** Records read per second of batch interval, over the retained completed batches. */
    public Double averageInputRate() {
      Double records = averageOverCompleted(BatchRecord::recordsIn);
      return records == null ? null : records * 1000.0 / Math.max(1, job.batchIntervalMillis());
    }

    /** The last finished batch that completed, or null. */
    public BatchRecord lastCompleted() {
      for (int i = finished.size() - 1; i >= 0; i--) {
        if (finished.get(i).status() == BatchRecord.Status.COMPLETED) {
          return finished.get(i);
        }
      }
      return null;
    }
  }
}
