package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.Group;
import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.runners.core.InMemoryTimerInternals;
import org.apache.beam.runners.core.NullSideInputReader;
import org.apache.beam.runners.core.ReduceFnRunner;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.runners.core.triggers.ExecutableTriggerStateMachine;
import org.apache.beam.runners.core.triggers.TriggerStateMachines;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.util.construction.TriggerTranslation;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * The reduce side of a GroupByKey over a complete (bounded) batch: all of a key's values are in the
 * partition, so each key is grouped into windows and panes at once, with the input watermark moving
 * from -infinity to +infinity after the values. Windowing, merging, triggers and timestamps follow
 * Beam's {@link ReduceFnRunner}; the common case (default trigger, end-of-window timestamps) takes
 * a direct path that gives the same single on-time pane per window, merging windows (sessions,
 * Nexmark's auction windows) once over all of the key's windows as the runner would.
 */
public final class GroupAlsoByWindowFunction<K, V, W extends BoundedWindow>
    implements PartitionFunction<Group<WindowedValue<KV<K, V>>>, WindowedValue<KV<K, Iterable<V>>>> {
  private final WindowingStrategy<?, W> windowingStrategy;
  private final Coder<V> valueCoder;
  private final PipelineOptions options;
  private final RunnerApi.Trigger triggerProto;
  private final boolean direct;

  public GroupAlsoByWindowFunction(
      WindowingStrategy<?, W> windowingStrategy,
      Coder<V> valueCoder,
      PipelineOptions options) {
    this.windowingStrategy = windowingStrategy;
    this.valueCoder = valueCoder;
    this.options = options;
    this.triggerProto = TriggerTranslation.toProto(windowingStrategy.getTrigger());
    this.direct =
        windowingStrategy.getTrigger() instanceof DefaultTrigger
            && windowingStrategy.getTimestampCombiner() == TimestampCombiner.END_OF_WINDOW;
  }

  @Override
  public Iterator<WindowedValue<KV<K, Iterable<V>>>> apply(
      Iterator<Group<WindowedValue<KV<K, V>>>> groups, TaskContext task) throws Exception {
    List<WindowedValue<KV<K, Iterable<V>>>> output = new ArrayList<>();
    while (groups.hasNext()) {
      List<WindowedValue<KV<K, V>>> elements = groups.next().elements();
      K key = elements.get(0).getValue().getKey();
      if (direct) {
        groupDirectly(key, elements, output);
      } else {
        reduce(key, elements, output);
      }
    }
    return output.iterator();
  }

  @SuppressWarnings("unchecked")
  private void groupDirectly(
      K key, List<WindowedValue<KV<K, V>>> elements, List<WindowedValue<KV<K, Iterable<V>>>> out)
      throws Exception {
    Map<W, W> mergedInto = null;
    if (windowingStrategy.needsMerge()) {
      Set<W> windows = new LinkedHashSet<>();
      for (WindowedValue<KV<K, V>> element : elements) {
        for (BoundedWindow window : element.getWindows()) {
          windows.add((W) window);
        }
      }
      mergedInto = BatchWindowMerging.mergeAll(windowingStrategy.getWindowFn(), windows);
    }
    Map<BoundedWindow, List<V>> byWindow = new LinkedHashMap<>();
    for (WindowedValue<KV<K, V>> element : elements) {
      for (BoundedWindow window : element.getWindows()) {
        BoundedWindow target = mergedInto == null ? window : mergedInto.get((W) window);
        byWindow.computeIfAbsent(target, w -> new ArrayList<>()).add(element.getValue().getValue());
      }
    }
    byWindow.forEach(
        (window, values) ->
            out.add(
                WindowedValues.of(
                    KV.of(key, (Iterable<V>) values),
                    window.maxTimestamp(),
                    window,
                    PaneInfo.ON_TIME_AND_ONLY_FIRING)));
  }

  private void reduce(
      K key, List<WindowedValue<KV<K, V>>> elements, List<WindowedValue<KV<K, Iterable<V>>>> out)
      throws Exception {
    List<WindowedValue<V>> values = new ArrayList<>(elements.size());
    for (WindowedValue<KV<K, V>> element : elements) {
      values.add(element.withValue(element.getValue().getValue()));
    }
    InMemoryTimerInternals timers = new InMemoryTimerInternals();
    ReduceFnRunner<K, V, Iterable<V>, W> runner =
        new ReduceFnRunner<>(
            key,
            windowingStrategy,
            ExecutableTriggerStateMachine.create(
                TriggerStateMachines.stateMachineForTrigger(triggerProto)),
            InMemoryStateInternals.forKey(key),
            timers,
            out::add,
            NullSideInputReader.empty(),
            SystemReduceFn.buffering(valueCoder),
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
}
