package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.translation.ElementChecks;
import dev.microbatch.translation.metrics.BeamMetrics;
import dev.microbatch.translation.metrics.RecentCellsMetricsContainer;
import java.io.Closeable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.runners.core.NullSideInputReader;
import org.apache.beam.runners.core.SideInputReader;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What every ParDo stage needs to run its bundles (one bundle is one partition of one batch): the
 * ParDo, its DoFn instances, the pipeline options, the metrics and the side inputs it reads.
 */
public final class ParDoRuntime {
  private final ParDoSpec spec;
  private final DoFnInstancePool pool;
  private final PipelineOptions options;
  private final BeamMetrics metrics;
  private final Map<TupleTag<?>, MaterializedSideInputReader.SideInputStream> sideInputStreams;
  private final ElementChecks checks;
  private final @Nullable RowOutputs rowOutputs;

  /** The body of one bundle, given the DoFn instance it runs and its bundle finalization. */
  interface Bundle<R> {
    R run(DoFn<?, ?> instance, BundleFinalization finalization) throws Exception;
  }

  public ParDoRuntime(
      ParDoSpec spec,
      DoFnInstancePool pool,
      PipelineOptions options,
      BeamMetrics metrics,
      Map<PCollectionView<?>, DStream<WindowedValue<?>>> sideInputs,
      ElementChecks checks) {
    this.spec = spec;
    this.checks = checks;
    this.rowOutputs = RowOutputs.of(spec.outputCoders(), spec.stepName());
    this.pool = pool;
    this.options = options;
    this.metrics = metrics;
    this.sideInputStreams = MaterializedSideInputReader.byTag(sideInputs);
  }

  ParDoSpec spec() {
    return spec;
  }

  DoFnInstancePool pool() {
    return pool;
  }

  PipelineOptions options() {
    return options;
  }

  /** The side inputs as {@code task} reads them; an empty reader when the ParDo has none. */
  SideInputReader sideInputs(TaskContext task) {
    return sideInputStreams.isEmpty() ? NullSideInputReader.empty() : readySideInputs(task);
  }

  /** The side inputs as {@code task} reads them, with which of their windows are ready. */
  MaterializedSideInputReader readySideInputs(TaskContext task) {
    return new MaterializedSideInputReader(sideInputStreams, task);
  }

  /** Where the ParDo's outputs of one bundle are buffered. */
  BufferingOutputManager newOutputs() {
    return new BufferingOutputManager(
        spec.outputTags(), rowOutputs, checks.any() ? newOutputChecks() : null);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private OutputChecks newOutputChecks() {
    Map<TupleTag<?>, Coder<WindowedValue<?>>> coders = new HashMap<>();
    spec.outputCoders()
        .forEach(
            (tag, coder) ->
                coders.put(
                    tag,
                    (Coder) WindowedValues.getFullCoder(coder, spec.outputWindowCoders().get(tag))));
    return new OutputChecks(coders, checks.encodability(), checks.immutability(), spec.stepName());
  }

  /**
   * The step's metrics container for one bundle of {@code task}; whoever scopes it flushes it on
   * leaving the scope.
   */
  RecentCellsMetricsContainer metricsOf(TaskContext task) {
    return new RecentCellsMetricsContainer(metrics.container(task, spec.stepName()));
  }

  /** The step's own container in {@code task}, whose cells count every update at once. */
  MetricsContainer stepContainerOf(TaskContext task) {
    return metrics.container(task, spec.stepName());
  }

  /**
   * Runs one bundle eagerly: borrows a DoFn instance, reports metrics to the step's container,
   * then returns the instance to the pool, or discards it if the bundle failed, and hands the
   * finalization callbacks the bundle registered to the engine, to run once the batch commits.
   */
  <R> R inBundle(TaskContext task, Bundle<R> body) throws Exception {
    DoFn<?, ?> instance = pool.borrow(options);
    BundleFinalization finalization = new BundleFinalization();
    R result;
    RecentCellsMetricsContainer bundleMetrics = metricsOf(task);
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(bundleMetrics)) {
      result = body.run(instance, finalization);
    } catch (Exception | Error e) {
      pool.discard(instance, e);
      throw e;
    } finally {
      bundleMetrics.flush();
    }
    pool.release(instance);
    finalizeAfterCommit(finalization, task);
    return result;
  }

  /**
   * Hands a bundle's finalization callbacks to the engine, to run once the batch commits, with
   * what they report counted for this step (an unbounded source's finalization, for one).
   */
  void finalizeAfterCommit(BundleFinalization finalization, TaskContext task) {
    finalization.afterCommit(task, work -> metrics.runAfterCommit(spec.stepName(), work));
  }
}
