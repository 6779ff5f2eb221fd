package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.Group;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.translation.state.CurrentKeyStepContext;
import dev.microbatch.translation.state.KeyStateInternals;
import dev.microbatch.translation.state.KeyTimerInternals;
import dev.microbatch.translation.state.KeyedPartitionState;
import java.util.Iterator;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.runners.core.DoFnRunners;
import org.apache.beam.runners.core.SideInputReader;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StatefulDoFnRunner;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * A ParDo whose DoFn uses state or timers, over input shuffled by key. Each key's state and timers
 * live in the partition across batches. A batch is one bundle: first every new element, key by key,
 * while the input watermark stands where the previous batch left it (Beam's stateful runner drops
 * elements of expired windows and arms each window's state cleanup); then, in time order, every
 * timer the new input watermark or the batch's time has passed, including timers set while firing
 * (looping timers), each with the times of {@link KeyTimerInternals#forTimers}. A key's hold is
 * its earliest watermark hold or pending timer output time.
 */
public final class StatefulParDoFunction<K, V, OutT>
    implements StatefulPartitionFunction<Group<WindowedValue<KV<K, V>>>, Object, KeyedPartitionState<K>> {
  private final ParDoRuntime runtime;
  private final boolean settleWithinBatch;

  public StatefulParDoFunction(ParDoRuntime runtime, boolean settleWithinBatch) {
    this.runtime = runtime;
    this.settleWithinBatch = settleWithinBatch;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StageOutput<Object> apply(
      Iterator<Group<WindowedValue<KV<K, V>>>> input,
      KeyedPartitionState<K> partition,
      StageTime time,
      TaskContext task)
      throws Exception {
    BufferingOutputManager outputs = runtime.newOutputs();
    long holdBeforeFiring =
        runtime.inBundle(
            task,
            (instance, finalization) -> {
              CurrentKeyStepContext<K> step =
                  new CurrentKeyStepContext<>(partition, finalization.finalizer());
              DoFnRunner<KV<K, V>, OutT> runner =
                  statefulRunner(
                      (DoFn<KV<K, V>, OutT>) instance, runtime.sideInputs(task), outputs, step);
              runner.startBundle();
              while (input.hasNext()) {
                Group<WindowedValue<KV<K, V>>> group = input.next();
                K key = group.elements().get(0).getValue().getKey();
                step.selectForElements(group.key(), partition.stateOf(group.key(), key), time);
                for (WindowedValue<KV<K, V>> element : group.elements()) {
                  runner.processElement(element);
                }
                // The group holds all of the key's elements of this batch: encode its state.
                partition.afterProcessing(group.key());
              }
              long hold = partition.earliestHold();
              partition.beginFiring(settleWithinBatch);
              fireDueTimers(partition, time, step, runner);
              runner.finishBundle();
              return hold;
            });
    return new StageOutput<>(outputs.takeAll(), holdAfterFiring(holdBeforeFiring, partition));
  }

  /**
   * In a streaming pipeline, a timer that fires in this batch releases its hold on the output
   * watermark only in the next one: downstream stages first see what the timer emitted with the
   * watermark still before it, as they would where the watermark trails the data, so their
   * processing-time triggers get to fire early panes. A bounded batch pipeline settles at once.
   */
  private long holdAfterFiring(long holdBeforeFiring, KeyedPartitionState<K> partition) {
    long hold = partition.earliestHold();
    return settleWithinBatch ? hold : Math.min(holdBeforeFiring, hold);
  }

  private void fireDueTimers(
      KeyedPartitionState<K> partition,
      StageTime time,
      CurrentKeyStepContext<K> step,
      DoFnRunner<KV<K, V>, OutT> runner) {
    KeyedPartitionState.DueTimer due;
    while ((due = partition.pollDue(time)) != null) {
      KeyStateInternals<K> state = partition.stateForTimer(due.key());
      step.selectForTimers(due.key(), state, time);
      TimerData timer = due.timer();
      runner.onTimer(
          timer.getTimerId(),
          timer.getTimerFamilyId(),
          state.getKey(),
          windowOf(timer),
          timer.getTimestamp(),
          timer.getOutputTimestamp(),
          timer.getDomain(),
          timer.causedByDrain());
      // Encoded at once: a batch that fires every key's timer never has every key decoded.
      partition.afterProcessing(due.key());
    }
  }

  private static BoundedWindow windowOf(TimerData timer) {
    if (timer.getNamespace() instanceof StateNamespaces.WindowNamespace<?> window) {
      return window.getWindow();
    }
    throw new IllegalStateException(
        "Internal error: a user timer outside a window namespace: " + timer.getNamespace());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private DoFnRunner<KV<K, V>, OutT> statefulRunner(
      DoFn<KV<K, V>, OutT> instance,
      SideInputReader sideInputs,
      BufferingOutputManager outputs,
      CurrentKeyStepContext<K> step) {
    ParDoSpec spec = runtime.spec();
    DoFnRunner<KV<K, V>, OutT> simple =
        DoFnRunnerFactory.create(spec, runtime.options(), instance, sideInputs, outputs, step);
    Coder<BoundedWindow> windowCoder =
        (Coder<BoundedWindow>) spec.windowingStrategy().getWindowFn().windowCoder();
    return DoFnRunners.defaultStatefulDoFnRunner(
        instance,
        (Coder<KV<K, V>>) spec.inputCoder(),
        simple,
        step,
        spec.windowingStrategy(),
        new StatefulDoFnRunner.TimeInternalsCleanupTimer<>(
            step.timerInternals(), spec.windowingStrategy()),
        new StatefulDoFnRunner.StateInternalsStateCleaner<>(
            instance, step.stateInternals(), windowCoder),
        DoFnSignatures.requiresTimeSortedInput(instance));
  }
}
