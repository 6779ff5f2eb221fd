package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.exec.TaskContext;
import dev.microbatch.engine.state.BatchVersioned;
import dev.microbatch.io.beam.BeamTime;
import dev.microbatch.translation.metrics.BeamMetrics;
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
 *
 * <p>A window is dropped once it is expired for every stage that reads the view ({@link
 * ViewReaders}), so a long-running stream holds only the windows its readers may still need. Each
 * batch reports how many windows it holds as the distribution {@link BeamMetrics#VIEW_WINDOWS} of
 * the view's step.
 */
public final class ViewContents<V>
    implements StatefulPartitionFunction<
        WindowedValue<KV<String, Iterable<V>>>, WindowedValue<?>, ViewContents.ByWindow> {
  private final String step;
  private final ViewReaders readers;
  private final BeamMetrics metrics;

  public ViewContents(String step, ViewReaders readers, BeamMetrics metrics) {
    this.step = step;
    this.readers = readers;
    this.metrics = metrics;
  }

  /**
   * The latest pane's values of each window, as windowed values ready for the view; a failed batch
   * puts back what the last committed batch left.
   */
  public static final class ByWindow implements BatchVersioned {
    private Map<BoundedWindow, List<WindowedValue<?>>> windows = new LinkedHashMap<>();
    private Map<BoundedWindow, List<WindowedValue<?>>> committed = Map.of();
    // A batch that neither added nor dropped a window need not copy them at commit.
    private boolean changed;

    @Override
    public void commit(long batchId) {
      if (changed) {
        committed = new LinkedHashMap<>(windows);
        changed = false;
      }
    }

    @Override
    public void rollback() {
      windows = new LinkedHashMap<>(committed);
      changed = false;
    }

    /** The number of windows held. */
    int windowCount() {
      return windows.size();
    }

    private void put(BoundedWindow window, List<WindowedValue<?>> values) {
      windows.put(window, values);
      changed = true;
    }

    /** Drops the windows that end before {@code expiredBefore} (engine time). */
    private void dropEndingBefore(long expiredBefore) {
      if (expiredBefore == Watermarks.MIN) {
        return;
      }
      changed |=
          windows.keySet()
              .removeIf(window -> BeamTime.toEngine(window.maxTimestamp()) < expiredBefore);
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
        state.put(window, List.copyOf(values));
      }
    }
    state.dropEndingBefore(readers.expiredBefore(task.batch().committedWatermarks()));
    metrics.container(task, step).getDistribution(BeamMetrics.VIEW_WINDOWS).update(state.windowCount());
    return new StageOutput<>(
        new ChunkedList<>(new ArrayList<>(state.windows.values())), Watermarks.MAX);
  }
}
