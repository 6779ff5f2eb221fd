package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.exec.TaskContext;
import dev.microbatch.engine.state.BatchVersioned;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * The contents of a side input in a streaming pipeline: the side input's PCollection is grouped
 * under one key with its own windowing and trigger, and each pane that fires replaces what the
 * view holds for the pane's window. Every batch emits the whole current contents, from which the
 * view's value is built; a window that has contents is ready to be read.
 */
public final class ViewContents<V>
    implements StatefulPartitionFunction<
        WindowedValue<KV<String, Iterable<V>>>, WindowedValue<?>, ViewContents.ByWindow> {

  /**
   * The latest pane's values of each window, as windowed values ready for the view; a failed batch
   * puts back what the last committed batch left.
   */
  public static final class ByWindow implements BatchVersioned {
    private Map<BoundedWindow, List<WindowedValue<?>>> windows = new LinkedHashMap<>();
    private Map<BoundedWindow, List<WindowedValue<?>>> committed = Map.of();

    @Override
    public void commit(long batchId) {
      committed = new LinkedHashMap<>(windows);
    }

    @Override
    public void rollback() {
      windows = new LinkedHashMap<>(committed);
    }
  }

  @Override
  public StageOutput<WindowedValue<?>> apply(
      Iterator<WindowedValue<KV<String, Iterable<V>>>> panes,
      ByWindow state,
      StageTime time,
      TaskContext task) {
    while (panes.hasNext()) {
      WindowedValue<KV<String, Iterable<V>>> pane = panes.next();
      for (BoundedWindow window : pane.getWindows()) {
        List<WindowedValue<?>> values = new ArrayList<>();
        for (V value : pane.getValue().getValue()) {
          values.add(WindowedValues.of(value, pane.getTimestamp(), window, pane.getPaneInfo()));
        }
        state.windows.put(window, List.copyOf(values));
      }
    }
    return new StageOutput<>(
        new ChunkedList<>(new ArrayList<>(state.windows.values())), Watermarks.MAX);
  }
}
