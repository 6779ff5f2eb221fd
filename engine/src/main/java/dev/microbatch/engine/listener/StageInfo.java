package dev.microbatch.engine.listener;

/**
 * One stage (a materialized stream with the operators fused into it) in one batch.
 *
 * @param streamId the stream's id in the graph
 * @param name the stage's operators, downstream first ({@code a <- b <- c}); Beam's transform names
 * @param millis the time the stage took to materialize on the batch thread (its tasks in parallel;
 *     stages it reads are materialized before it, so their time is not counted again)
 * @param records the records it produced
 * @param outputWatermark its output watermark after the batch, {@link Long#MIN_VALUE} if unknown
 */
public record StageInfo(int streamId, String name, long millis, long records, long outputWatermark) {}
