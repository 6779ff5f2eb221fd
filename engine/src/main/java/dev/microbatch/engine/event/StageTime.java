package dev.microbatch.engine.event;

/**
 * The times a stateful stage works with in one batch: fixed before its tasks run, the same for
 * every partition.
 *
 * @param inputWatermark the minimum of the parents' output watermarks in this batch
 * @param processingTime the processing time of the batch, in milliseconds
 */
public record StageTime(long inputWatermark, long processingTime) {}
