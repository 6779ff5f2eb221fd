package dev.microbatch.io.beam;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.TaskContext;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * A Beam {@link BoundedSource} read in parallel: the source is split once into about one split
 * per partition (by estimated size), and partition i reads splits i, i + n, i + 2n, ... in full.
 */
public final class BoundedSourceInputDStream<T> extends OneShotInputDStream<WindowedValue<T>> {
  private final BoundedSource<T> source;
  private final PipelineOptions options;
  private final Function<TaskContext, MetricsContainer> metrics;

  /**
   * @param metrics the metrics container that source code (splitting, reading) reports into
   */
  public BoundedSourceInputDStream(
      StreamingContext context,
      String name,
      BoundedSource<T> source,
      PipelineOptions options,
      Function<TaskContext, MetricsContainer> metrics) {
    super(context, name);
    this.source = source;
    this.options = options;
    this.metrics = metrics;
  }

  @Override
  protected List<WindowedValue<T>> readAll(int partition, TaskContext task) throws Exception {
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics.apply(task))) {
      List<? extends BoundedSource<T>> splits =
          task.batchShared(
              new SplitsKey(this),
              () -> BoundedSplits.split(source, task.numPartitions(), options));
      List<WindowedValue<T>> records = new ArrayList<>();
      for (BoundedSource<T> split : BoundedSplits.ownedBy(splits, partition, task.numPartitions())) {
        readSplit(split, records);
      }
      return records;
    }
  }

  private void readSplit(BoundedSource<T> split, List<WindowedValue<T>> records) throws Exception {
    try (BoundedSource.BoundedReader<T> reader = split.createReader(options)) {
      for (boolean more = reader.start(); more; more = reader.advance()) {
        records.add(
            WindowedValues.timestampedValueInGlobalWindow(
                reader.getCurrent(), reader.getCurrentTimestamp()));
      }
    }
  }

  /** Keys the batch-shared split list of one input. */
  private record SplitsKey(BoundedSourceInputDStream<?> input) {}
}
