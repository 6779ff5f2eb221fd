package dev.microbatch.streaming;

/**
 * One batch as a listener sees it. Times are processing-time milliseconds; -1 where not yet known.
 *
 * @param batchId the batch's number, counted from 1 over the life of a checkpoint directory
 * @param batchTime the batch's time
 * @param numRecords records its inputs read (-1 until it completed)
 */
public record BatchInfo(
    long batchId, Time batchTime, long submissionTime, long processingStartTime, long processingEndTime, long numRecords) {

  /** How long the batch waited to start, or -1. */
  public long schedulingDelay() {
    return processingStartTime < 0 ? -1 : processingStartTime - submissionTime;
  }

  /** How long the batch ran, or -1. */
  public long processingDelay() {
    return processingEndTime < 0 ? -1 : processingEndTime - processingStartTime;
  }
}
