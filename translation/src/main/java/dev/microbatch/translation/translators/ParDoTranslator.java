package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.checkpoint.Fingerprints;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.functions.DoFnInstancePool;
import dev.microbatch.translation.functions.DoFnPartitionFunction;
import dev.microbatch.translation.functions.ParDoRuntime;
import dev.microbatch.translation.functions.ParDoSpec;
import dev.microbatch.translation.functions.PushbackBuffer;
import dev.microbatch.translation.functions.PushbackParDoFunction;
import dev.microbatch.translation.functions.StableInputBuffer;
import dev.microbatch.translation.functions.StableInputFunction;
import dev.microbatch.translation.functions.StatefulParDoFunction;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import dev.microbatch.translation.state.KeyedPartitionState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * ParDo: a fused narrow operation that runs the DoFn over each partition as one bundle. Side
 * inputs are declared as dependencies, so their streams are materialized before the ParDo runs;
 * a streaming ParDo with side inputs is a stateful stage that pushes back elements until their
 * side-input windows are ready. A DoFn with state or timers runs after a shuffle by key, in a
 * stateful stage that keeps each key's state and timers across batches.
 * With several outputs, the ParDo's stream carries tagged values and each output filters its own.
 */
public final class ParDoTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    DoFn<?, ?> fn = ((ParDo.MultiOutput<?, ?>) transform.getTransform()).getFn();
    List<String> missing = new ArrayList<>();
    if (DoFnSignatures.isSplittable(fn)) {
      // The runner expands splittable DoFns before translation; one left here was not expanded.
      missing.add("a splittable DoFn the runner did not expand");
    }
    if (isStateful(fn) && !(Transforms.mainInput(transform).getCoder() instanceof KvCoder)) {
      return "DoFn " + fn.getClass().getName() + " uses state or timers, so its input must be "
          + "KVs with a KvCoder, got " + Transforms.mainInput(transform).getCoder();
    }
    return missing.isEmpty()
        ? null
        : "DoFn " + fn.getClass().getName() + " uses " + String.join(", ", missing)
            + ", which this version of MicroBatchRunner does not support yet";
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    ParDo.MultiOutput<Object, Object> parDo = (ParDo.MultiOutput<Object, Object>) transform.getTransform();
    PCollection<Object> input = Transforms.mainInput(transform);
    Map<TupleTag<?>, PCollection<?>> outputs = ParDoOutputs.ordered(parDo.getMainOutputTag(), transform);
    Map<TupleTag<?>, Coder<?>> outputCoders = new HashMap<>();
    outputs.forEach((tag, collection) -> outputCoders.put(tag, collection.getCoder()));

    Map<PCollectionView<?>, DStream<WindowedValue<?>>> sideInputStreams = new LinkedHashMap<>();
    for (PCollectionView<?> view : parDo.getSideInputs().values()) {
      sideInputStreams.put(view, context.streamOfView(view));
    }
    String step = transform.getFullName();
    ParDoSpec spec =
        new ParDoSpec(
            step,
            parDo.getFn(),
            parDo.getMainOutputTag(),
            new ArrayList<>(outputs.keySet()),
            input.getCoder(),
            outputCoders,
            ParDoOutputs.windowCoders(outputs),
            input.getWindowingStrategy(),
            ParDo.getDoFnSchemaInformation(parDo.getFn(), input),
            parDo.getSideInputs(),
            new ArrayList<>(sideInputStreams.keySet()));
    DoFnInstancePool pool = context.register(new DoFnInstancePool(parDo.getFn(), step));
    ParDoRuntime runtime =
        new ParDoRuntime(
            spec, pool, context.options(), context.metrics(), sideInputStreams, context.mode().checks());
    List<DStream<?>> dependencies = new ArrayList<>(sideInputStreams.values());
    DStream<WindowedValue<Object>> main = context.streamOf(input);
    if (StableInputPolicy.stableInputFor(parDo.getFn(), context)) {
      // The runner runs pipelines with annotated DoFns streaming (see PipelineInspection): only
      // then do batches become stable one after another.
      context.engine().graph().requireDrainBatchOnStop();
      main =
          main.stateful(
              step + "/StableInput",
              new StableInputFunction<>((ElementCodec) BeamElementCodec.of(input)),
              () -> new StableInputBuffer("stable input=" + Fingerprints.coder(input.getCoder())));
    }
    DStream<Object> results;
    if (isStateful(parDo.getFn())) {
      Coder<Object> keyCoder = ((KvCoder<Object, Object>) (Coder) input.getCoder()).getKeyCoder();
      results =
          ((DStream) main)
              .groupBy(BeamKeys.byKvKey(keyCoder), (ElementCodec) BeamElementCodec.of(input))
              .stateful(
                  step,
                  new StatefulParDoFunction<>(runtime, !context.isStreaming()),
                  () ->
                      KeyedPartitionState.forStatefulDoFn(
                          keyCoder,
                          input.getWindowingStrategy().getWindowFn().windowCoder(),
                          Fingerprints.doFnState(parDo.getFn())),
                  dependencies);
    } else if (context.isStreaming() && !sideInputStreams.isEmpty()) {
      results =
          main.stateful(
              step,
              new PushbackParDoFunction<>(runtime),
              () ->
                  new PushbackBuffer<>(
                      (ElementCodec) BeamElementCodec.of(input),
                      "pushback elements=" + Fingerprints.coder(input.getCoder())),
              dependencies);
    } else {
      results =
          main.mapPartitions(
              step,
              new DoFnPartitionFunction<>(runtime),
              dependencies);
    }
    context.readsViews(sideInputStreams.keySet(), input.getWindowingStrategy(), results);
    ParDoOutputs.bind(outputs, results, context);
  }

  private static boolean isStateful(DoFn<?, ?> fn) {
    return DoFnSignatures.usesState(fn) || DoFnSignatures.usesTimers(fn);
  }
}
