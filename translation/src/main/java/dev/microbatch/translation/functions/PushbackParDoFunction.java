package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.runners.core.PushbackSideInputDoFnRunner;
import org.apache.beam.runners.core.SimplePushbackSideInputDoFnRunner;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * A streaming ParDo with side inputs: an element whose side-input windows are not ready yet (the
 * view's watermark has not passed them) is pushed back into the partition's buffer, which holds
 * the stage's watermark at the earliest buffered timestamp; each batch first retries the buffer,
 * then processes its new elements, all in one bundle.
 */
public final class PushbackParDoFunction<InT, OutT>
    implements StatefulPartitionFunction<WindowedValue<InT>, Object, PushbackBuffer<InT>> {
  private final ParDoRuntime runtime;

  public PushbackParDoFunction(ParDoRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StageOutput<Object> apply(
      Iterator<WindowedValue<InT>> input, PushbackBuffer<InT> buffer, StageTime time, TaskContext task)
      throws Exception {
    BufferingOutputManager outputs = runtime.newOutputs();
    List<WindowedValue<InT>> waiting =
        runtime.inBundle(
            task,
            (instance, finalization) -> {
              MaterializedSideInputReader sideInputs = runtime.readySideInputs(task);
              DoFnRunner<InT, OutT> runner =
                  DoFnRunnerFactory.create(
                      runtime.spec(),
                      runtime.options(),
                      (DoFn<InT, OutT>) instance,
                      sideInputs,
                      outputs,
                      finalization);
              PushbackSideInputDoFnRunner<InT, OutT> pushback =
                  SimplePushbackSideInputDoFnRunner.create(
                      runner, runtime.spec().sideInputs(), sideInputs);
              List<WindowedValue<InT>> notReady = new ArrayList<>();
              pushback.startBundle();
              for (WindowedValue<InT> element : buffer.takeAll()) {
                pushback.processElementInReadyWindows(element).forEach(notReady::add);
              }
              while (input.hasNext()) {
                pushback.processElementInReadyWindows(input.next()).forEach(notReady::add);
              }
              pushback.finishBundle();
              return notReady;
            });
    buffer.addAll(waiting);
    return new StageOutput<>(outputs.takeAll(), buffer.earliestTimestamp());
  }
}
