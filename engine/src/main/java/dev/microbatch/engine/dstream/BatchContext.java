package dev.microbatch.engine.dstream;

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
 *     (backpressure; {@code Long.MAX_VALUE} when unlimited; 0 in the batch a graceful stop runs to
 *     drain stable-input stages); inputs also apply their own bounds
 * @param stableThrough the newest batch whose results survive any failure from here on: covered by
 *     a durable checkpoint when checkpoints are on, else committed (it survives a retry, not a
 *     crash); what a batch buffered for stable input may be processed once it is at most this
 * @param draining whether this is the batch a graceful stop runs to drain stable-input stages:
 *     inputs read nothing in it (its record limit is 0), and stages that read by themselves (a
 *     splittable DoFn resuming its restrictions) must not either, or what they read would reach
 *     those stages too late to be handed on
 */
public record BatchContext(
    long batchId,
    long batchTime,
    WatermarkSnapshot committedWatermarks,
    long recordLimitPerPartition,
    long stableThrough,
    boolean draining) {

  /** A batch with no backpressure limit, all batches before it stable. */
  public BatchContext(long batchId, long batchTime, WatermarkSnapshot committedWatermarks) {
    this(batchId, batchTime, committedWatermarks, Long.MAX_VALUE, batchId - 1, false);
  }
}
