package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.Group;
import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.translation.state.BatchKeyStateInternals;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.core.InMemoryTimerInternals;
import org.apache.beam.runners.core.NullSideInputReader;
import org.apache.beam.runners.core.ReduceFnRunner;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.runners.core.triggers.ExecutableTriggerStateMachine;
import org.apache.beam.runners.core.triggers.TriggerStateMachines;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.construction.TriggerTranslation;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * Windows, triggers and panes over a complete (bounded) batch by Beam's {@link ReduceFnRunner}:
 * each key's values go in at once, then the input watermark jumps from -infinity to +infinity. The
 * reduce function buffers the values (a GroupByKey) or combines them (a lifted Combine.perKey).
 */
public final class BatchReduceFunction<K, V, OutputT, W extends BoundedWindow>
    implements PartitionFunction<Group<WindowedValue<KV<K, V>>>, WindowedValue<KV<K, OutputT>>> {
  private final WindowingStrategy<?, W> windowingStrategy;
  private final SystemReduceFn<K, V, ?, OutputT, W> reduceFn;
  private final PipelineOptions options;
  private final RunnerApi.Trigger triggerProto;

  public BatchReduceFunction(
      WindowingStrategy<?, W> windowingStrategy,
      SystemReduceFn<K, V, ?, OutputT, W> reduceFn,
      PipelineOptions options) {
    this.windowingStrategy = windowingStrategy;
    this.reduceFn = reduceFn;
    this.options = options;
    this.triggerProto = TriggerTranslation.toProto(windowingStrategy.getTrigger());
  }

  @Override
  public Iterator<WindowedValue<KV<K, OutputT>>> apply(
      Iterator<Group<WindowedValue<KV<K, V>>>> groups, TaskContext task) throws Exception {
    return new PerGroupOutput<>(groups, (group, output) -> reduce(group.elements(), output));
  }

  void reduce(List<WindowedValue<KV<K, V>>> elements, List<WindowedValue<KV<K, OutputT>>> out)
      throws Exception {
    K key = elements.get(0).getValue().getKey();
    // Merging windows are merged here once, over all of the key's windows, as the runner would
    // (its own merge then finds nothing to do): it would otherwise track each element's window.
    Map<W, W> mergedInto =
        windowingStrategy.needsMerge()
            ? BatchWindowMerging.mergeAllOf(windowingStrategy.getWindowFn(), elements)
            : null;
    List<WindowedValue<V>> values = new ArrayList<>(elements.size());
    for (WindowedValue<KV<K, V>> element : elements) {
      V value = element.getValue().getValue();
      values.add(mergedInto == null ? element.withValue(value) : inMergedWindows(element, value, mergedInto));
    }
    InMemoryTimerInternals timers = new InMemoryTimerInternals();
    ReduceFnRunner<K, V, OutputT, W> runner =
        new ReduceFnRunner<>(
            key,
            windowingStrategy,
            ExecutableTriggerStateMachine.create(TriggerStateMachines.stateMachineForTrigger(triggerProto)),
            new BatchKeyStateInternals<>(key),
            timers,
            out::add,
            NullSideInputReader.empty(),
            reduceFn,
            options);
    runner.processElements(values);
    // All input of a bounded batch has arrived: the watermark jumps to the end of time, which
    // fires every window's on-time pane and then its garbage collection.
    timers.advanceInputWatermark(BoundedWindow.TIMESTAMP_MAX_VALUE);
    TimerData timer;
    while ((timer = timers.removeNextEventTimer()) != null) {
      runner.onTimers(List.of(timer));
    }
    runner.persist();
  }

  @SuppressWarnings("unchecked")
  private WindowedValue<V> inMergedWindows(
      WindowedValue<KV<K, V>> element, V value, Map<W, W> mergedInto) {
    List<BoundedWindow> windows = new ArrayList<>(1);
    for (BoundedWindow window : element.getWindows()) {
      windows.add(mergedInto.get((W) window));
    }
    return WindowedValues.of(value, element.getTimestamp(), windows, element.getPaneInfo());
  }
}
