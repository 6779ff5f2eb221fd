package dev.microbatch.engine.exec;

import dev.microbatch.engine.listener.InputInfo;
import dev.microbatch.engine.listener.StageInfo;
import dev.microbatch.engine.dstream.BatchContext;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.metrics.Accumulator;
import dev.microbatch.engine.state.BatchVersioned;
import java.util.List;
import java.util.Map;

/**
 * Everything a successfully evaluated batch wants to change, applied in one place by the committer
 * once every earlier batch has committed.
 *
 * @param batch the batch
 * @param recordsIn records read from inputs
 * @param recordsOut records consumed by output operations
 * @param inputProgress per input, the progress of each partition to commit
 * @param accumulatorUpdates per accumulator, this batch's merged parts
 * @param outputWatermarks the output watermark this batch reached, by stream id
 * @param versionedState keyed state the batch changed provisionally, committed with it
 * @param afterCommit actions tasks asked to run once the batch has committed, in no set order
 * @param startedAt processing time when the batch began running
 * @param finishedAt processing time when the batch finished running
 * @param stages the stages materialized, with their time, records and watermarks
 * @param inputs what each input read
 */
public record BatchResult(
    BatchContext batch,
    long recordsIn,
    long recordsOut,
    Map<InputDStream<?>, List<Object>> inputProgress,
    Map<Accumulator<?>, Object> accumulatorUpdates,
    Map<Integer, Long> outputWatermarks,
    List<BatchVersioned> versionedState,
    List<Runnable> afterCommit,
    long startedAt,
    long finishedAt,
    List<StageInfo> stages,
    List<InputInfo> inputs) {

  public BatchResult {
    inputProgress = Map.copyOf(inputProgress);
    accumulatorUpdates = Map.copyOf(accumulatorUpdates);
    outputWatermarks = Map.copyOf(outputWatermarks);
    versionedState = List.copyOf(versionedState);
    afterCommit = List.copyOf(afterCommit);
    stages = List.copyOf(stages);
    inputs = List.copyOf(inputs);
  }

  /**
   * Applies this result: keyed state, input positions, then committed accumulator values. Every
   * part commits even if an input fails to finalize what it read (then the first such failure is
   * thrown once all is committed).
   */
  public void commit() {
    versionedState.forEach(state -> state.commit(batch.batchId()));
    RuntimeException failure = null;
    for (Map.Entry<InputDStream<?>, List<Object>> input : inputProgress.entrySet()) {
      try {
        input.getKey().applyCommitted(input.getValue());
      } catch (RuntimeException e) {
        failure = Failures.firstWithSuppressed(failure, e);
      }
    }
    accumulatorUpdates.forEach(BatchResult::commitAccumulator);
    if (failure != null) {
      throw failure;
    }
  }

  @SuppressWarnings("unchecked")
  private static <V> void commitAccumulator(Accumulator<V> accumulator, Object part) {
    accumulator.addCommitted((V) part);
  }
}
