package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.exec.TaskContext;
import dev.microbatch.translation.metrics.BeamMetrics;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.runners.core.DoFnRunners;
import org.apache.beam.runners.core.NullSideInputReader;
import org.apache.beam.runners.core.SideInputReader;
import org.apache.beam.sdk.coders.Coder;
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
  private final Map<TupleTag<?>, MaterializedSideInputReader.SideInputStream> sideInputStreams =
      new HashMap<>();

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
    sideInputStreams.forEach(
        (view, stream) ->
            this.sideInputStreams.put(
                view.getTagInternal(), new MaterializedSideInputReader.SideInputStream(view, stream)));
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
    DoFnRunner<InT, OutT> runner =
        DoFnRunners.simpleRunner(
            pipelineOptions,
            instance,
            sideInputs,
            outputs,
            (TupleTag<OutT>) spec.mainOutputTag(),
            additionalOutputTags(),
            new StatelessStepContext(),
            (Coder<InT>) spec.inputCoder(),
            spec.outputCoders(),
            spec.windowingStrategy(),
            spec.schemaInformation(),
            spec.sideInputMapping());
    return new DoFnIterator<>(
        input, runner, outputs, pool, instance, metrics.container(task, spec.stepName()));
  }

  private List<TupleTag<?>> additionalOutputTags() {
    return spec.outputTags().subList(1, spec.outputTags().size());
  }
}
