package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Group;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.checkpoint.Fingerprints;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.functions.StreamingGroupAlsoByWindow;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import dev.microbatch.translation.state.KeyedPartitionState;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Combine.perKey in a streaming pipeline, lifted: a key's state holds one accumulator per window,
 * not every value, and Beam's ReduceFnRunner combines into it (any windowing and trigger). Where
 * combining early cannot change a pane, each partition first combines its inputs of the batch per
 * key and window, so only accumulators cross the shuffle. A CombineFn that is not plain or has no
 * accumulator coder runs as the GroupByKey expansion instead.
 */
public final class StreamingCombinePerKeyTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    return CombineLifting.unliftableReason(transform);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    PCollection<KV<Object, Object>> input = Transforms.mainInput(transform);
    context.setStream(
        Transforms.output(transform),
        translateTyped(
            (Combine.PerKey<Object, Object, Object>) transform.getTransform(),
            input,
            transform.getFullName(),
            context));
  }

  @SuppressWarnings("unchecked")
  private static <K, InputT, AccumT, OutputT, W extends BoundedWindow>
      DStream<WindowedValue<KV<K, OutputT>>> translateTyped(
          Combine.PerKey<K, InputT, OutputT> combine,
          PCollection<KV<K, InputT>> input,
          String name,
          TranslationContext context) {
    Coder<K> keyCoder = ((KvCoder<K, InputT>) input.getCoder()).getKeyCoder();
    WindowingStrategy<?, W> strategy = (WindowingStrategy<?, W>) input.getWindowingStrategy();
    Coder<W> windowCoder = (Coder<W>) strategy.getWindowFn().windowCoder();
    CombineFn<InputT, AccumT, OutputT> fn = (CombineFn<InputT, AccumT, OutputT>) combine.getFn();
    Coder<AccumT> accumulatorCoder = CombineLifting.accumulatorCoder(combine, input);
    String accumulators = "Combine.perKey accumulators=" + Fingerprints.coder(accumulatorCoder);
    DStream<WindowedValue<KV<K, InputT>>> inputs = context.streamOf(input);
    if (!CombineLifting.combinesEarly(strategy)) {
      return reduceInState(
          inputs.groupBy(BeamKeys.byKvKey(keyCoder), BeamElementCodec.of(input)),
          new StreamingGroupAlsoByWindow<K, InputT, OutputT, W>(
              name,
              strategy,
              CombineLifting.addingInputs(keyCoder, fn, accumulatorCoder),
              context.options(),
              context.metrics()),
          keyCoder,
          windowCoder,
          accumulators);
    }
    return reduceInState(
        CombineLifting.partialsByKey(inputs, keyCoder, fn, accumulatorCoder, windowCoder, name),
        new StreamingGroupAlsoByWindow<K, AccumT, OutputT, W>(
            name,
            strategy,
            CombineLifting.mergingPartials(keyCoder, fn, accumulatorCoder),
            context.options(),
            context.metrics()),
        keyCoder,
        windowCoder,
        accumulators + " combined early");
  }

  private static <K, V, OutputT> DStream<WindowedValue<KV<K, OutputT>>> reduceInState(
      DStream<Group<WindowedValue<KV<K, V>>>> groups,
      StreamingGroupAlsoByWindow<K, V, OutputT, ?> reduce,
      Coder<K> keyCoder,
      Coder<? extends BoundedWindow> windowCoder,
      String stateFingerprint) {
    return groups.stateful(
        reduce.stepName(),
        reduce,
        () -> KeyedPartitionState.forGrouping(keyCoder, windowCoder, stateFingerprint));
  }
}
