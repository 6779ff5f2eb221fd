package dev.microbatch.engine.dstream;

import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.listener.StageInfo;
import dev.microbatch.engine.state.BatchVersioned;
import dev.microbatch.engine.state.ObservableState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A stage with state carried across batches, one state object per partition. State that is
 * {@link BatchVersioned} commits with the batch and rolls back if the batch fails. Its input watermark
 * in a batch is the minimum of its parents' output watermarks in the same batch (upstream stages
 * run first), so a watermark crosses every stage of the graph within one batch; its output
 * watermark is the input watermark held back by the earliest hold of any partition:
 *
 * <pre>
 *   in(s)  = min(out(p) for each parent p)
 *   out(s) = max(committed out(s), min(in(s), hold(s, partition) for each partition))
 * </pre>
 */
public final class StatefulDStream<I, O, S> extends DStream<O> {
  private final DStream<I> parent;
  private final StatefulPartitionFunction<I, O, S> fn;
  private final Supplier<S> initialState;
  private final AtomicReferenceArray<S> states;
  private final List<DStream<?>> dependencies;

  /**
   * @param dependencies streams the stage's tasks read whole (such as side inputs), with their
   *     watermarks, through {@link TaskContext#materialized} and {@link TaskContext#outputWatermark}
   */
  public StatefulDStream(
      DStream<I> parent,
      String name,
      StatefulPartitionFunction<I, O, S> fn,
      Supplier<S> initialState,
      List<DStream<?>> dependencies) {
    super(parent.owner(), name);
    this.parent = parent;
    this.dependencies = List.copyOf(dependencies);
    this.fn = fn;
    this.initialState = initialState;
    this.states = new AtomicReferenceArray<>(parent.owner().parallelism());
  }

  @Override
  public List<DStream<?>> parents() {
    return List.of(parent);
  }

  @Override
  public List<DStream<?>> dependencies() {
    return dependencies;
  }

  @Override
  protected boolean isStageBoundary() {
    return true;
  }

  @Override
  protected Iterator<O> compute(int partition, TaskContext task) {
    throw new IllegalStateException("Internal error: a stateful stage is read only once materialized.");
  }

  @Override
  protected Partitions<O> materialize(StageScope scope) {
    StageTime time =
        new StageTime(
            scope.committedInputWatermark(this),
            scope.inputWatermark(this),
            scope.context().batchTime(),
            // Read once the stages upstream have finished: prepare() ran them first.
            scope.now());
    for (int p = 0; p < states.length(); p++) {
      // Created here, on the batch thread, so that a failed batch can roll back every partition.
      if (stateOf(p) instanceof BatchVersioned versioned) {
        scope.versioned(versioned);
      }
    }
    List<PartitionResult<O>> results =
        scope.runTasks(
            task -> {
              S state = stateOf(task.partition());
              StageOutput<O> output = fn.apply(parent.iterator(task.partition(), task), state, time, task);
              if (state instanceof BatchVersioned versioned) {
                versioned.taskDone();
              }
              // Read by the task that owns the state: no other thread touches it.
              return state instanceof ObservableState observed
                  ? new PartitionResult<>(
                      output, observed.stateKeys(), observed.stateBytes(), observed.takeTimersFired())
                  : new PartitionResult<>(output, 0, 0, 0);
            });
    List<List<O>> partitions = new ArrayList<>(results.size());
    long hold = Watermarks.MAX;
    long keys = 0;
    long bytes = 0;
    long fired = 0;
    for (PartitionResult<O> result : results) {
      partitions.add(result.output().records());
      hold = Math.min(hold, result.output().hold());
      keys += result.keys();
      bytes += result.bytes();
      fired += result.timersFired();
    }
    scope.reportWatermark(this, Math.min(time.inputWatermark(), hold));
    scope.reportState(this, new StageInfo.StageState(hold, fired, keys, bytes));
    return new Partitions<>(partitions);
  }

  private record PartitionResult<O>(StageOutput<O> output, long keys, long bytes, long timersFired) {}

  @Override
  protected long outputWatermark(StageScope scope) {
    return scope.reportedWatermark(this);
  }

  /** Every partition's state, created where a partition has not run yet; between batches only. */
  public List<S> partitionStates() {
    List<S> all = new ArrayList<>(states.length());
    for (int p = 0; p < states.length(); p++) {
      all.add(stateOf(p));
    }
    return all;
  }

  /** A fresh state, not installed in any partition (to merge checkpoint files into). */
  public S newState() {
    return initialState.get();
  }

  /**
   * Replaces the state of {@code partition} by a fresh one and returns it, for a restore to fill;
   * between batches only.
   */
  public S resetState(int partition) {
    S fresh = initialState.get();
    states.set(partition, fresh);
    return fresh;
  }

  private S stateOf(int partition) {
    S state = states.get(partition);
    if (state == null) {
      state = initialState.get();
      states.set(partition, state);
    }
    return state;
  }
}
