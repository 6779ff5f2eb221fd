package dev.microbatch.engine.exec;

/**
 * The immutable facts of one batch that operators may read. Operators take time from here, never
 * from a clock.
 *
 * @param batchId the batch's sequence number, starting at 1; batches commit in this order
 * @param batchTime the processing time the batch stands for, in milliseconds
 */
public record BatchContext(long batchId, long batchTime) {}
