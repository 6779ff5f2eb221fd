package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import java.util.Iterator;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * Runs a stateless ParDo over one partition of a batch as one bundle, through Beam's {@link
 * DoFnRunners#simpleRunner}. Emits {@link WindowedValue}s, or {@link TaggedOutput}s when the ParDo
 * has several outputs.
 */
public final class DoFnPartitionFunction<InT, OutT>
    implements PartitionFunction<WindowedValue<InT>, Object> {
  private final ParDoRuntime runtime;

  public DoFnPartitionFunction(ParDoRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<Object> apply(Iterator<WindowedValue<InT>> input, TaskContext task) {
    DoFnInstancePool pool = runtime.pool();
    DoFn<InT, OutT> instance = (DoFn<InT, OutT>) pool.borrow(runtime.options());
    BufferingOutputManager outputs = runtime.newOutputs();
    BundleFinalization finalization = new BundleFinalization();
    DoFnRunner<InT, OutT> runner =
        DoFnRunnerFactory.create(
            runtime.spec(),
            runtime.options(),
            instance,
            runtime.sideInputs(task),
            outputs,
            finalization);
    // Lazy: elements flow through to the next fused operator one at a time.
    return new DoFnIterator<>(
        input,
        runner,
        outputs,
        pool,
        instance,
        runtime.metricsOf(task),
        () -> runtime.finalizeAfterCommit(finalization, task));
  }
}
