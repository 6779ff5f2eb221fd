package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.time.ManualClock;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.checkpoint.Fingerprints;
import dev.microbatch.translation.functions.DoFnInstancePool;
import dev.microbatch.translation.functions.ParDoRuntime;
import dev.microbatch.translation.functions.ParDoSpec;
import dev.microbatch.translation.functions.SplittableProcessFunction;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import dev.microbatch.translation.state.KeyedPartitionState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.beam.runners.core.SplittableParDoViaKeyedWorkItems.ProcessElements;
import org.apache.beam.runners.core.SplittableParDoViaKeyedWorkItems.ProcessFn;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.DoFnSchemaInformation;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * The processing step of a splittable DoFn (after Beam's expansion into pair-with-restriction,
 * split, and grouping into keyed work items): a stateful stage over the work items' partitioning
 * that runs Beam's {@link ProcessFn}, resuming residual restrictions in later batches.
 */
public final class SplittableProcessTranslator implements TransformTranslator {
  /** The URN runners-core registers for {@link ProcessElements}. */
  public static final String URN = "beam:runners_core:transforms:splittable_process:v1";

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    ProcessElements<Object, Object, Object, Object, Object> process =
        (ProcessElements<Object, Object, Object, Object, Object>) transform.getTransform();
    PCollection<Object> input = Transforms.mainInput(transform);
    String step = transform.getFullName();
    ProcessFn<Object, Object, Object, Object, Object> processFn = process.newProcessFn(process.getFn());
    Map<TupleTag<?>, PCollection<?>> outputs =
        ParDoOutputs.ordered(process.getMainOutputTag(), transform);
    Map<TupleTag<?>, Coder<?>> outputCoders = new HashMap<>();
    outputs.forEach((tag, collection) -> outputCoders.put(tag, collection.getCoder()));
    Map<PCollectionView<?>, DStream<WindowedValue<?>>> sideInputStreams = new LinkedHashMap<>();
    for (PCollectionView<?> view : process.getSideInputs()) {
      sideInputStreams.put(view, context.streamOfView(view));
    }
    ParDoSpec spec =
        new ParDoSpec(
            step,
            processFn,
            process.getMainOutputTag(),
            new ArrayList<>(outputs.keySet()),
            input.getCoder(),
            outputCoders,
            ParDoOutputs.windowCoders(outputs),
            input.getWindowingStrategy(),
            DoFnSchemaInformation.create(),
            process.getSideInputMapping(),
            new ArrayList<>(sideInputStreams.keySet()));
    DoFnInstancePool pool = context.register(new DoFnInstancePool(processFn, step));
    ScheduledExecutorService checkpointTimer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, step + "-sdf-checkpoint");
              thread.setDaemon(true);
              return thread;
            });
    context.engine().addCloseHook(checkpointTimer::shutdownNow);
    List<DStream<?>> dependencies = new ArrayList<>(sideInputStreams.values());
    DStream<Object> results =
        ((DStream) context.streamOf(input))
            .stateful(
                step,
                new SplittableProcessFunction<>(
                    new ParDoRuntime(
                        spec,
                        pool,
                        context.options(),
                        context.metrics(),
                        sideInputStreams,
                        context.mode().checks()),
                    checkpointTimer,
                    !(context.engine().config().clock() instanceof ManualClock),
                    context.engine().config().clock()),
                () ->
                    // ProcessFn's timers live in the windows of the elements it splits.
                    KeyedPartitionState.forSplittable(
                        ByteArrayCoder.of(),
                        processFn.getInputWindowingStrategy().getWindowFn().windowCoder(),
                        "splittable "
                            + Fingerprints.doFnState(process.getFn())
                            + " elements="
                            + Fingerprints.coder(input.getCoder()),
                        BeamElementCodec.of(input)),
                dependencies);
    context.readsViews(
        sideInputStreams.keySet(), processFn.getInputWindowingStrategy(), results);
    ParDoOutputs.bind(outputs, results, context);
  }
}
