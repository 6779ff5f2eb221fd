package dev.microbatch.streaming.internal;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Partitions;
import dev.microbatch.engine.dstream.StageScope;
import dev.microbatch.engine.dstream.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A stage that sees its parent's batch whole: the workers read the parent's partitions, then
 * {@link BatchFunction} runs once, on the batch thread, with all of them (what {@code transform},
 * {@code foreachRDD}, {@code count} and {@code reduce} need). Its result keeps the partitions the
 * function returns, padded or folded to the engine's partition count.
 */
public final class WholeBatchDStream<I, O> extends DStream<O> {

  /** What a whole-batch stage does with one batch. */
  @FunctionalInterface
  public interface BatchFunction<I, O> {
    List<List<O>> apply(List<List<I>> partitions, long batchId, long batchTime) throws Exception;
  }

  private final DStream<I> parent;
  private final BatchFunction<I, O> fn;

  public WholeBatchDStream(DStream<I> parent, String name, BatchFunction<I, O> fn) {
    super(parent.owner(), name);
    this.parent = parent;
    this.fn = fn;
  }

  @Override
  public List<DStream<?>> parents() {
    return List.of(parent);
  }

  @Override
  protected boolean isStageBoundary() {
    return true;
  }

  @Override
  protected Iterator<O> compute(int partition, TaskContext task) {
    throw new IllegalStateException("Internal error: a whole-batch stage is read only once materialized.");
  }

  @Override
  protected Partitions<O> materialize(StageScope scope) {
    List<List<I>> input =
        scope.runTasks(
            task -> {
              List<I> part = new ArrayList<>();
              parent.iterator(task.partition(), task).forEachRemaining(part::add);
              return part;
            });
    List<List<O>> output;
    try {
      output = fn.apply(input, scope.context().batchId(), scope.context().batchTime());
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
    int n = scope.numPartitions();
    List<List<O>> fitted = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      fitted.add(new ArrayList<>());
    }
    for (int p = 0; p < output.size(); p++) {
      fitted.get(p % n).addAll(output.get(p));
    }
    return new Partitions<>(fitted);
  }
}
