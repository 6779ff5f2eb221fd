package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.exec.TaskContext;
import dev.microbatch.translation.metrics.BeamMetrics;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.runners.core.PushbackSideInputDoFnRunner;
import org.apache.beam.runners.core.SimplePushbackSideInputDoFnRunner;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * A streaming ParDo with side inputs: an element whose side-input windows are not ready yet (the
 * view's watermark has not passed them) is pushed back into the partition's buffer, which holds
 * the stage's watermark at the earliest buffered timestamp; each batch first retries the buffer,
 * then processes its new elements, all in one bundle.
 */
public final class PushbackParDoFunction<InT, OutT>
    implements StatefulPartitionFunction<WindowedValue<InT>, Object, PushbackBuffer<InT>> {
  private final ParDoSpec spec;
  private final DoFnInstancePool pool;
  private final PipelineOptions options;
  private final BeamMetrics metrics;
  private final Map<TupleTag<?>, MaterializedSideInputReader.SideInputStream> sideInputStreams;

  public PushbackParDoFunction(
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
  public StageOutput<Object> apply(
      Iterator<WindowedValue<InT>> input, PushbackBuffer<InT> buffer, StageTime time, TaskContext task)
      throws Exception {
    DoFn<InT, OutT> instance = (DoFn<InT, OutT>) pool.borrow(options);
    MaterializedSideInputReader sideInputs = new MaterializedSideInputReader(sideInputStreams, task);
    BufferingOutputManager outputs = new BufferingOutputManager(spec.outputTags());
    BundleFinalization finalization = new BundleFinalization();
    DoFnRunner<InT, OutT> runner =
        DoFnRunnerFactory.create(spec, options, instance, sideInputs, outputs, finalization);
    PushbackSideInputDoFnRunner<InT, OutT> pushback =
        SimplePushbackSideInputDoFnRunner.create(runner, spec.sideInputs(), sideInputs);
    List<WindowedValue<InT>> waiting = new ArrayList<>();
    try (Closeable scope =
        MetricsEnvironment.scopedMetricsContainer(metrics.container(task, spec.stepName()))) {
      pushback.startBundle();
      for (WindowedValue<InT> element : buffer.takeAll()) {
        pushback.processElementInReadyWindows(element).forEach(waiting::add);
      }
      while (input.hasNext()) {
        pushback.processElementInReadyWindows(input.next()).forEach(waiting::add);
      }
      pushback.finishBundle();
    } catch (Exception | Error e) {
      pool.discard(instance, e);
      throw e;
    }
    pool.release(instance);
    finalization.afterCommit(task);
    buffer.addAll(waiting);
    return new StageOutput<>(outputs.takeAll(), buffer.earliestTimestamp());
  }
}
