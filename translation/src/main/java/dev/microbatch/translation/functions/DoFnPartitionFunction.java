package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.exec.TaskContext;
import dev.microbatch.translation.metrics.BeamMetrics;
import java.util.Iterator;
import java.util.Map;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.runners.core.NullSideInputReader;
import org.apache.beam.runners.core.SideInputReader;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * Runs a stateless ParDo over one partition of a batch as one bundle, through Beam's {@link
 * DoFnRunners#simpleRunner}. Emits {@link WindowedValue}s, or {@link TaggedOutput}s when the ParDo
 * has several outputs.
 */
public final class DoFnPartitionFunction<InT, OutT>
    implements PartitionFunction<WindowedValue<InT>, Object> {
  private final ParDoSpec spec;
  private final DoFnInstancePool pool;
  private final PipelineOptions options;
  private final BeamMetrics metrics;
  private final Map<TupleTag<?>, MaterializedSideInputReader.SideInputStream> sideInputStreams;

  public DoFnPartitionFunction(
      ParDoSpec spec,
      DoFnInstancePool pool,
      PipelineOptions options,
      BeamMetrics metrics,
      Map<PCollectionView<?>, DStream<WindowedValue<?>>> sideInputStreams) {
    this.spec = spec;
    this.pool = pool;
    this.options = options;
    this.metrics = metrics;
    this.sideInputStreams = MaterializedSideInputReader.byTag(sideInputStreams);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<Object> apply(Iterator<WindowedValue<InT>> input, TaskContext task) {
    PipelineOptions pipelineOptions = options;
    DoFn<InT, OutT> instance = (DoFn<InT, OutT>) pool.borrow(pipelineOptions);
    SideInputReader sideInputs =
        sideInputStreams.isEmpty()
            ? NullSideInputReader.empty()
            : new MaterializedSideInputReader(sideInputStreams, task);
    BufferingOutputManager outputs = new BufferingOutputManager(spec.outputTags());
    BundleFinalization finalization = new BundleFinalization();
    DoFnRunner<InT, OutT> runner =
        DoFnRunnerFactory.create(spec, pipelineOptions, instance, sideInputs, outputs, finalization);
    return new DoFnIterator<>(
        input,
        runner,
        outputs,
        pool,
        instance,
        metrics.container(task, spec.stepName()),
        () -> finalization.afterCommit(task));
  }
}
