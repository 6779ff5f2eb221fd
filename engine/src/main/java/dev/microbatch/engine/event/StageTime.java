package dev.microbatch.engine.event;

/**
 * The times a stateful stage works with in one batch: fixed before its tasks run, the same for
 * every partition.
 *
 * @param previousInputWatermark the input watermark as of the previous committed batch: the batch's
 *     new elements arrived while it stood here, so lateness is judged against it
 * @param inputWatermark the minimum of the parents' output watermarks in this batch: timers up to
 *     it fire once the batch's elements are processed
 * @param processingTime the processing time of the batch, in milliseconds: the batch's new
 *     elements arrived at it
 * @param firingTime the processing time when the stage started, once every upstream stage of the
 *     batch had finished (never before {@code processingTime}): processing-time timers fire
 *     against it, so time that upstream work took counts, as it would for a record-at-a-time
 *     engine
 */
public record StageTime(
    long previousInputWatermark, long inputWatermark, long processingTime, long firingTime) {

  /** A stage that starts at the batch's own time. */
  public StageTime(long previousInputWatermark, long inputWatermark, long processingTime) {
    this(previousInputWatermark, inputWatermark, processingTime, processingTime);
  }
}
