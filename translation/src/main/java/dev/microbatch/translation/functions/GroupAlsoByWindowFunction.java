package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.Group;
import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.ReduceFnRunner;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * The reduce side of a GroupByKey over a complete (bounded) batch: all of a key's values are in the
 * partition, so each key is grouped into windows and panes at once, with the input watermark moving
 * from -infinity to +infinity after the values. Windowing, merging, triggers and timestamps follow
 * Beam's {@link ReduceFnRunner} ({@link BatchReduceFunction}); the common case (default trigger, end-of-window timestamps) takes
 * a direct path that gives the same single on-time pane per window, merging windows (sessions,
 * Nexmark's auction windows) once over all of the key's windows as the runner would.
 */
public final class GroupAlsoByWindowFunction<K, V, W extends BoundedWindow>
    implements PartitionFunction<Group<WindowedValue<KV<K, V>>>, WindowedValue<KV<K, Iterable<V>>>> {
  private final WindowingStrategy<?, W> windowingStrategy;
  private final BatchReduceFunction<K, V, Iterable<V>, W> reduced;
  private final boolean direct;

  public GroupAlsoByWindowFunction(
      WindowingStrategy<?, W> windowingStrategy,
      Coder<V> valueCoder,
      PipelineOptions options) {
    this.windowingStrategy = windowingStrategy;
    this.reduced =
        new BatchReduceFunction<>(windowingStrategy, SystemReduceFn.buffering(valueCoder), options);
    this.direct = BatchPanes.oneOnTimePanePerWindow(windowingStrategy);
  }

  @Override
  public Iterator<WindowedValue<KV<K, Iterable<V>>>> apply(
      Iterator<Group<WindowedValue<KV<K, V>>>> groups, TaskContext task) throws Exception {
    return new PerGroupOutput<>(
        groups,
        (group, output) -> {
          List<WindowedValue<KV<K, V>>> elements = group.elements();
          K key = elements.get(0).getValue().getKey();
          if (direct) {
            groupDirectly(key, elements, output);
          } else {
            reduced.reduce(elements, output);
          }
        });
  }

  @SuppressWarnings("unchecked")
  private void groupDirectly(
      K key, List<WindowedValue<KV<K, V>>> elements, List<WindowedValue<KV<K, Iterable<V>>>> out)
      throws Exception {
    Map<W, W> mergedInto =
        windowingStrategy.needsMerge()
            ? BatchWindowMerging.mergeAllOf(windowingStrategy.getWindowFn(), elements)
            : null;
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
}
