package dev.microbatch.engine.listener;

import java.util.List;

/**
 * One stage (a materialized stream with the operators fused into it) in one batch.
 *
 * @param streamId the stream's id in the graph
 * @param name the stage's operators, downstream first ({@code a <- b <- c}); Beam's transform names
 * @param outputOperation whether the stage is an output operation (a sink's tasks) rather than a
 *     materialized stream
 * @param millis the time the stage took to materialize on the batch thread (its tasks in parallel;
 *     stages it reads are materialized before it, so their time is not counted again)
 * @param records the records it produced (an output operation: the records it consumed)
 * @param inputWatermark the watermark of what entered its last operator (for a stage that starts
 *     at an input: the input's own watermark), {@link Long#MIN_VALUE} if unknown
 * @param outputWatermark its output watermark after the batch, {@link Long#MIN_VALUE} if unknown
 * @param inputIds the stream ids of the inputs read inside this stage (where a rate limit acts)
 * @param state what a stateful stage holds after the batch; null for a stage without state
 */
public record StageInfo(
    int streamId,
    String name,
    boolean outputOperation,
    long millis,
    long records,
    long inputWatermark,
    long outputWatermark,
    List<Integer> inputIds,
    StageState state) {
  public StageInfo {
    inputIds = List.copyOf(inputIds);
  }

  /**
   * A stateful stage's state after a batch, summed over its partitions.
   *
   * @param hold the earliest event time any partition may still emit (its watermark hold), {@link
   *     Long#MAX_VALUE} when nothing is held
   * @param timersFired timers fired in the batch
   * @param keys keys with state
   * @param bytes the state's encoded bytes (keys and in-memory overhead not counted)
   */
  public record StageState(long hold, long timersFired, long keys, long bytes) {}
}
