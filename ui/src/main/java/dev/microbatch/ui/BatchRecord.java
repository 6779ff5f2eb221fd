package dev.microbatch.ui;

import dev.microbatch.engine.listener.StageInfo;
import java.util.List;

/**
 * One batch as the UI knows it. Times are processing-time milliseconds, -1 while unknown.
 *
 * @param batchId the engine's batch sequence number
 * @param batchTime the processing time the batch stands for
 * @param status where the batch is
 * @param attempts runs of the batch so far (more than one after a failure it was retried for)
 * @param firstFailure the first failure of any attempt, null if none
 * @param stages the stages of the completed batch (empty before)
 * @param inputs what each input read in the completed batch (empty before)
 * @param recordLimitPerPartition the rate limit backpressure set for the batch ({@link
 *     Long#MAX_VALUE}: none; -1 before completion)
 */
public record BatchRecord(
    long batchId,
    long batchTime,
    Status status,
    long submittedAt,
    long startedAt,
    long finishedAt,
    long recordsIn,
    long recordsOut,
    int attempts,
    String firstFailure,
    List<StageInfo> stages,
    List<InputRecord> inputs,
    long recordLimitPerPartition) {

  /** Spark's batch statuses, and one for a batch that failed for good. */
  public enum Status {
    QUEUED,
    PROCESSING,
    COMPLETED,
    FAILED
  }

  public long schedulingDelay() {
    return startedAt < 0 ? -1 : startedAt - submittedAt;
  }

  public long processingTime() {
    return startedAt < 0 || finishedAt < 0 ? -1 : finishedAt - startedAt;
  }

  public long totalDelay() {
    return finishedAt < 0 ? -1 : finishedAt - submittedAt;
  }

  BatchRecord with(Status newStatus, long newStartedAt, long newFinishedAt, long in, long out) {
    return new BatchRecord(
        batchId, batchTime, newStatus, submittedAt, newStartedAt, newFinishedAt, in, out, attempts, firstFailure,
        stages, inputs, recordLimitPerPartition);
  }

  BatchRecord withDetails(List<StageInfo> newStages, List<InputRecord> newInputs, long limit) {
    return new BatchRecord(
        batchId, batchTime, status, submittedAt, startedAt, finishedAt, recordsIn, recordsOut, attempts, firstFailure,
        newStages, newInputs, limit);
  }

  BatchRecord failedAttempt(String failure, Status newStatus, long failedAt) {
    return new BatchRecord(
        batchId, batchTime, newStatus, submittedAt, startedAt,
        newStatus == Status.FAILED ? failedAt : -1, recordsIn, recordsOut,
        newStatus == Status.FAILED ? attempts : attempts + 1,
        firstFailure != null ? firstFailure : failure,
        stages, inputs, recordLimitPerPartition);
  }
}
