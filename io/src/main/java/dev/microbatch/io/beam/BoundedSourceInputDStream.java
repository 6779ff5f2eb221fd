package dev.microbatch.io.beam;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.TaskContext;
import java.io.Closeable;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * A Beam {@link BoundedSource} read in parallel: the source is split once into about one split
 * per partition (by estimated size), and partition i reads splits i, i + n, i + 2n, ... in full,
 * record by record as its consumer pulls them.
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
  protected Records<WindowedValue<T>> records(int partition, TaskContext task) throws Exception {
    MetricsContainer container = metrics.apply(task);
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(container)) {
      List<? extends BoundedSource<T>> splits =
          task.batchShared(
              new SplitsKey(this),
              () -> BoundedSplits.split(source, task.numPartitions(), options));
      return new BoundedSplitRecords<>(
          BoundedSplits.ownedBy(splits, partition, task.numPartitions()), options, container);
    }
  }

  /** Keys the batch-shared split list of one input. */
  private record SplitsKey(BoundedSourceInputDStream<?> input) {}
}
