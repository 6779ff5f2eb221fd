package dev.microbatch.engine.dstream;

import dev.microbatch.engine.listener.StageInfo;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.engine.state.BatchVersioned;
import java.util.List;

/**
 * What a stage sees of the batch that computes it, while it materializes (on the batch thread):
 * its tasks, the watermarks around it, and the batch's bookkeeping. The executor provides it, so
 * streams describe their work without depending on how batches run.
 */
public interface StageScope {
  BatchContext context();

  int numPartitions();

  /** The processing time now, while the batch runs: never before the batch's own time. */
  long now();

  /** The minimum of the output watermarks of {@code stream}'s parents in this batch. */
  long inputWatermark(DStream<?> stream);

  /** {@code stream}'s input watermark as of the last committed batch. */
  long committedInputWatermark(DStream<?> stream);

  /** Reports {@code stream}'s output watermark in this batch, before the committed floor. */
  void reportWatermark(DStream<?> stream, long watermark);

  /** Reports what stateful {@code stream} holds after this batch, for the batch report. */
  void reportState(DStream<?> stream, StageInfo.StageState state);

  /** What {@link #reportWatermark} reported for {@code stream} in this batch. */
  long reportedWatermark(DStream<?> stream);

  /** Computes every partition of {@code stream} with {@link DStream#compute}, one task each. */
  <T> Partitions<T> collect(DStream<T> stream);

  /** Like {@link #collect}, each partition kept encoded with {@code codec}. */
  <T> Partitions<T> collectEncoded(DStream<T> stream, ElementCodec<T> codec);

  /** Runs {@code body} once per partition on the workers; the results in partition order. */
  <R> List<R> runTasks(TaskBody<R> body);

  /** Records what an input read in this batch: its records and the progress to commit. */
  void recordInput(InputDStream<?> input, long records, List<Object> progress);

  /** State that commits with this batch, or rolls back if it fails. */
  void versioned(BatchVersioned state);
}
