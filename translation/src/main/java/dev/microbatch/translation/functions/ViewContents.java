package dev.microbatch.translation.functions;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.checkpoint.WholeCapture;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.state.BatchVersioned;
import dev.microbatch.io.beam.BeamTime;
import dev.microbatch.translation.checkpoint.Fingerprints;
import dev.microbatch.translation.metrics.BeamMetrics;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
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
   * puts back what the last committed batch left. A checkpoint saves the committed windows whole
   * whenever they changed: int32 count, then per window the window (int32 length + its encoding
   * with the window coder) and its values (int32 count, then each value as int32 length + its
   * encoding with the full windowed-value coder).
   */
  public static final class ByWindow implements BatchVersioned, CheckpointedState {
    private final Coder<BoundedWindow> windowCoder;
    private final Coder<WindowedValue<Object>> valueCoder;
    private Map<BoundedWindow, List<WindowedValue<?>>> windows = new LinkedHashMap<>();
    private Map<BoundedWindow, List<WindowedValue<?>>> committed = Map.of();
    // A batch that neither added nor dropped a window need not copy them at commit.
    private boolean changed;
    private boolean changedSinceCapture;

    public ByWindow(Coder<Object> elementCoder, Coder<BoundedWindow> windowCoder) {
      this.windowCoder = windowCoder;
      this.valueCoder = WindowedValues.getFullCoder(elementCoder, windowCoder);
    }

    @Override
    public void commit(long batchId) {
      if (changed) {
        committed = new LinkedHashMap<>(windows);
        changed = false;
        changedSinceCapture = true;
      }
    }

    @Override
    public StateCapture capture(boolean full) {
      if (!full && !changedSinceCapture) {
        return null;
      }
      changedSinceCapture = false;
      List<Map.Entry<BoundedWindow, List<WindowedValue<?>>>> saved =
          new ArrayList<>(committed.entrySet());
      return new WholeCapture(
          saved.size(),
          out -> {
            out.writeInt(saved.size());
            for (Map.Entry<BoundedWindow, List<WindowedValue<?>>> window : saved) {
              Encoding.writeBytes(out, CoderUtils.encodeToByteArray(windowCoder, window.getKey()));
              out.writeInt(window.getValue().size());
              for (WindowedValue<?> value : window.getValue()) {
                Encoding.writeBytes(out, encodeValue(value));
              }
            }
          });
    }

    @SuppressWarnings("unchecked")
    private byte[] encodeValue(WindowedValue<?> value) throws IOException {
      return CoderUtils.encodeToByteArray(valueCoder, (WindowedValue<Object>) value);
    }

    @Override
    public void apply(DataInputStream in) throws IOException {
      int count = in.readInt();
      Map<BoundedWindow, List<WindowedValue<?>>> restored = new LinkedHashMap<>();
      for (int w = 0; w < count; w++) {
        BoundedWindow window = CoderUtils.decodeFromByteArray(windowCoder, Encoding.readBytes(in));
        int size = in.readInt();
        List<WindowedValue<?>> values = new ArrayList<>(size);
        for (int v = 0; v < size; v++) {
          values.add(CoderUtils.decodeFromByteArray(valueCoder, Encoding.readBytes(in)));
        }
        restored.put(window, List.copyOf(values));
      }
      committed = restored;
      windows = new LinkedHashMap<>(restored);
      changed = false;
    }

    @Override
    public String fingerprint() {
      return "view contents " + Fingerprints.coder(valueCoder);
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
