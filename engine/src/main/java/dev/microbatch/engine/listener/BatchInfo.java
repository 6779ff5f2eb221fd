package dev.microbatch.engine.listener;

import java.util.List;

/**
 * What is known of a batch when a listener hears of it. Times are processing times in
 * milliseconds; those not yet known are -1.
 *
 * @param batchId the batch's sequence number
 * @param batchTime the processing time the batch stands for
 * @param submittedAt when the driver generated the batch
 * @param startedAt when the batch began running (-1 before)
 * @param finishedAt when the batch finished running (-1 before)
 * @param recordsIn records read from inputs (-1 before completion)
 * @param recordsOut records consumed by output operations (-1 before completion)
 * @param stages the stages the batch materialized (empty before completion)
 * @param inputs what each input read (empty before completion)
 * @param recordLimitPerPartition the most records an input partition could read in the batch: the
 *     rate limit backpressure set ({@link Long#MAX_VALUE}: none)
 */
public record BatchInfo(
    long batchId,
    long batchTime,
    long submittedAt,
    long startedAt,
    long finishedAt,
    long recordsIn,
    long recordsOut,
    List<StageInfo> stages,
    List<InputInfo> inputs,
    long recordLimitPerPartition) {

  public BatchInfo {
    stages = List.copyOf(stages);
    inputs = List.copyOf(inputs);
  }

  /** A batch without stage details. */
  public BatchInfo(
      long batchId, long batchTime, long submittedAt, long startedAt, long finishedAt, long recordsIn, long recordsOut) {
    this(
        batchId, batchTime, submittedAt, startedAt, finishedAt, recordsIn, recordsOut, List.of(), List.of(),
        Long.MAX_VALUE);
  }

  /** Time the batch waited between being generated and starting to run. */
  public long schedulingDelayMillis() {
    return startedAt < 0 ? -1 : startedAt - submittedAt;
  }

  /** Records read per second of processing time (-1 before completion). */
  public double inputRatePerSecond() {
    return recordsIn < 0 ? -1 : recordsIn * 1000.0 / Math.max(1, processingTimeMillis());
  }

  /** Time from the batch's submission to its end (-1 before completion). */
  public long totalDelayMillis() {
    return finishedAt < 0 ? -1 : finishedAt - submittedAt;
  }

  /** Time the batch took to run. */
  public long processingTimeMillis() {
    return finishedAt < 0 ? -1 : finishedAt - startedAt;
  }
}
