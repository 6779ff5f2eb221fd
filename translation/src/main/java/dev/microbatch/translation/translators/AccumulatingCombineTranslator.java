package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Group;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Combine.perKey (a composite) lifted: a plain CombineFn without side inputs never has its values
 * grouped. Beam's ReduceFnRunner adds them into one accumulator per key and window; where that
 * cannot change a pane ({@link CombineLifting#combinesEarly}) each partition first combines its
 * inputs of the batch, and the runner merges those partials instead. Both modes choose alike; they
 * differ in where the runner runs ({@link #reduce}). Other combines are expanded into GroupByKey
 * and Combine.GroupedValues.
 */
abstract class AccumulatingCombineTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    return CombineLifting.unliftableReason(transform);
  }

  @Override
  public final void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    CombineSpec<Object, Object, Object, Object, BoundedWindow> combine = CombineSpec.of(transform);
    context.setStream(Transforms.output(transform), combine(combine, context));
  }

  /** The combine's output; a mode with a shorter path for some windowings overrides this. */
  <K, InputT, AccumT, OutputT, W extends BoundedWindow>
      DStream<WindowedValue<KV<K, OutputT>>> combine(
          CombineSpec<K, InputT, AccumT, OutputT, W> combine, TranslationContext context) {
    return combineInWindows(combine, context);
  }

  /** The inputs added into accumulators by ReduceFnRunner, combined per partition first if safe. */
  final <K, InputT, AccumT, OutputT, W extends BoundedWindow>
      DStream<WindowedValue<KV<K, OutputT>>> combineInWindows(
          CombineSpec<K, InputT, AccumT, OutputT, W> combine, TranslationContext context) {
    DStream<WindowedValue<KV<K, InputT>>> inputs = context.streamOf(combine.input());
    if (!CombineLifting.combinesEarly(combine.windowing())) {
      return reduce(
          combine,
          inputs.groupBy(
              BeamKeys.byKvKey(combine.keyCoder()), BeamElementCodec.of(combine.input())),
          CombineLifting.<K, InputT, AccumT, OutputT, W>addingInputs(
              combine.keyCoder(), combine.fn(), combine.accumulatorCoder()),
          false,
          context);
    }
    return reduce(
        combine,
        CombineLifting.partialsByKey(
            inputs,
            combine.keyCoder(),
            combine.fn(),
            combine.accumulatorCoder(),
            combine.windowCoder(),
            combine.name()),
        CombineLifting.<K, InputT, AccumT, OutputT, W>mergingPartials(
            combine.keyCoder(), combine.fn(), combine.accumulatorCoder()),
        true,
        context);
  }

  /**
   * Runs {@code reduceFn} over each key's group, in this mode's kind of stage. {@code
   * combinedEarly}: the groups hold partial accumulators rather than inputs.
   */
  abstract <K, V, OutputT, W extends BoundedWindow> DStream<WindowedValue<KV<K, OutputT>>> reduce(
      CombineSpec<K, ?, ?, OutputT, W> combine,
      DStream<Group<WindowedValue<KV<K, V>>>> groups,
      SystemReduceFn<K, V, ?, OutputT, W> reduceFn,
      boolean combinedEarly,
      TranslationContext context);
}
