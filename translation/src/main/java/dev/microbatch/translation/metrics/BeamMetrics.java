package dev.microbatch.translation.metrics;

import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.metrics.Accumulator;
import dev.microbatch.translation.checkpoint.MetricsStepMapCodec;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsEnvironment;

/**
 * Beam metrics of one pipeline run, kept in an engine accumulator: every task reports into its own
 * containers; attempted values include every finished task, committed values only committed
 * batches.
 */
public final class BeamMetrics {
  /**
   * A system metric: the elements each ParDo step processed, under Beam's element-count URN (the
   * name sinks recognise as a system metric).
   */
  public static final MetricName ELEMENTS_PROCESSED =
      MetricName.named("beam:system", "beam:metric:element_count:v1");

  /**
   * The work a splittable DoFn step has started and not finished: the sum of its outstanding
   * restrictions' sizes ({@code @GetSize}, or the tracker's remaining work), rounded up per
   * restriction. A counter that rises and falls; its committed value is the backlog as of the
   * last committed batch.
   */
  public static final MetricName SPLITTABLE_BACKLOG = MetricName.named("microbatch", "backlog");

  /**
   * The windows a streaming side input holds, reported by its contents step once per batch and
   * partition: its maximum is the most windows the view held at once.
   */
  public static final MetricName VIEW_WINDOWS = MetricName.named("microbatch", "viewWindows");

  private final Accumulator<MetricsContainerStepMap> accumulator =
      new Accumulator<>(
          "beam-metrics",
          MetricsContainerStepMap::new,
          MetricsContainerStepMap::updateAll,
          new MetricsStepMapCodec());

  /** The accumulator of every step's metrics, which checkpoints save (committed values). */
  public Accumulator<MetricsContainerStepMap> accumulator() {
    return accumulator;
  }

  /** The container for {@code stepName} in this task; confined to the task's thread. */
  public MetricsContainerImpl container(TaskContext task, String stepName) {
    return task.accumulator(accumulator).getContainer(stepName);
  }

  /**
   * Runs {@code work} that a committed batch set off outside its tasks (finalizing a source's
   * checkpoints, a bundle's finalization callbacks), with the metrics it reports counted, as
   * attempted and committed, for {@code stepName}: on DirectRunner such work runs in the step's
   * own bundle, so its metrics belong to the step. Called on the driver thread.
   */
  public void runAfterCommit(String stepName, Runnable work) {
    MetricsContainerStepMap part = new MetricsContainerStepMap();
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(part.getContainer(stepName))) {
      work.run();
    } catch (IOException e) {
      // Only closing the scope declares it; restoring the previous container cannot fail.
      throw new UncheckedIOException(e);
    } finally {
      accumulator.addAfterCommit(part);
    }
  }

  /** A consistent snapshot of attempted and committed metrics. */
  public MetricResults results() {
    MetricsContainerStepMap attempted = accumulator.readAttempted(BeamMetrics::copy);
    MetricsContainerStepMap committed = accumulator.readCommitted(BeamMetrics::copy);
    return MetricsContainerStepMap.asMetricResults(attempted, withEveryMetricOf(attempted, committed));
  }

  /**
   * The committed metrics with a zero for every metric only attempted so far (reported by a batch
   * still running): Beam reads a missing committed value as "committed metrics unsupported".
   */
  private static MetricsContainerStepMap withEveryMetricOf(
      MetricsContainerStepMap attempted, MetricsContainerStepMap committed) {
    MetricsContainerStepMap complete = copy(attempted);
    complete.reset();
    complete.updateAll(committed);
    return complete;
  }

  private static MetricsContainerStepMap copy(MetricsContainerStepMap source) {
    MetricsContainerStepMap copy = new MetricsContainerStepMap();
    copy.updateAll(source);
    return copy;
  }
}
