package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.exec.TaskContext;
import java.util.Map;
import org.apache.beam.runners.core.SideInputReader;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.WindowedValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads side inputs from their streams' data in the current batch. The data is complete: a batch
 * materializes a side input's stream before any task of a stream that reads it runs.
 */
final class MaterializedSideInputReader implements SideInputReader {
  private final Map<PCollectionView<?>, DStream<WindowedValue<?>>> streams;
  private final TaskContext task;

  MaterializedSideInputReader(
      Map<PCollectionView<?>, DStream<WindowedValue<?>>> streams, TaskContext task) {
    this.streams = streams;
    this.task = task;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(PCollectionView<T> view, BoundedWindow window) {
    DStream<WindowedValue<?>> stream = streams.get(view);
    if (stream == null) {
      throw new IllegalArgumentException("Unknown side input " + view);
    }
    ViewMaterialization data =
        task.batchShared(
            new SharedKey(view), () -> new ViewMaterialization(view, task.materialized(stream)));
    return (T) data.valueIn(window);
  }

  @Override
  public <T> boolean contains(PCollectionView<T> view) {
    return streams.containsKey(view);
  }

  @Override
  public boolean isEmpty() {
    return streams.isEmpty();
  }

  /** Keys the batch-shared materialization of a view. */
  private record SharedKey(PCollectionView<?> view) {}
}
