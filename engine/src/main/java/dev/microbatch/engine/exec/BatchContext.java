package dev.microbatch.engine.exec;

import dev.microbatch.engine.event.WatermarkSnapshot;

/**
 * The immutable facts of one batch that operators may read. Operators take time from here, never
 * from a clock.
 *
 * @param batchId the batch's sequence number, starting at 1; batches commit in this order
 * @param batchTime the processing time the batch stands for, in milliseconds
 * @param committedWatermarks every stream's output watermark as of the previous committed batch:
 *     the floor this batch's watermarks start from
 * @param recordLimitPerPartition the most records an input partition should read in this batch
 *     (backpressure; {@code Long.MAX_VALUE} when unlimited); inputs also apply their own bounds
 */
public record BatchContext(
    long batchId, long batchTime, WatermarkSnapshot committedWatermarks, long recordLimitPerPartition) {

  /** A batch with no backpressure limit. */
  public BatchContext(long batchId, long batchTime, WatermarkSnapshot committedWatermarks) {
    this(batchId, batchTime, committedWatermarks, Long.MAX_VALUE);
  }
}
