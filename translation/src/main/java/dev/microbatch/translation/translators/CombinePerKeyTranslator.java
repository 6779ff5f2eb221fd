package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.functions.BatchReduceFunction;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.functions.LiftedCombine;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Combine.perKey (a composite) in a bounded pipeline, lifted: a plain CombineFn without side inputs
 * never has its values grouped. Over non-merging windows with the default trigger and end-of-window
 * timestamps each window has exactly one pane, so partitions combine before the shuffle and the
 * reduce side merges ({@link LiftedCombine}). Any other windowing goes through Beam's
 * ReduceFnRunner with the values combined into state, first combined per partition where that
 * cannot change a pane ({@link CombineLifting#combinesEarly}). Other combines, and merging windows
 * with the default trigger (which the GroupByKey merges directly), are expanded into GroupByKey and
 * Combine.GroupedValues.
 */
public final class CombinePerKeyTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    String unliftable = CombineLifting.unliftableReason(transform);
    if (unliftable != null) {
      return unliftable;
    }
    WindowingStrategy<?, ?> strategy = Transforms.mainInput(transform).getWindowingStrategy();
    if (strategy.needsMerge()
        && strategy.getTrigger() instanceof DefaultTrigger
        && strategy.getTimestampCombiner() == TimestampCombiner.END_OF_WINDOW) {
      // The GroupByKey merges such windows once per key without ReduceFnRunner: faster.
      return "merging windows with the default trigger are grouped directly";
    }
    return null;
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
    DStream<WindowedValue<KV<K, InputT>>> inputs = context.streamOf(input);
    if (onePanePerWindow(strategy)) {
      return new LiftedCombine<>(keyCoder, windowCoder, accumulatorCoder, fn, name).apply(inputs);
    }
    if (!CombineLifting.combinesEarly(strategy)) {
      return inputs
          .groupBy(BeamKeys.byKvKey(keyCoder), BeamElementCodec.of(input))
          .mapPartitions(
              "CombineInWindows",
              new BatchReduceFunction<K, InputT, OutputT, W>(
                  strategy, CombineLifting.addingInputs(keyCoder, fn, accumulatorCoder), context.options()));
    }
    return CombineLifting.partialsByKey(inputs, keyCoder, fn, accumulatorCoder, windowCoder, name)
        .mapPartitions(
            "CombineInWindows",
            new BatchReduceFunction<K, AccumT, OutputT, W>(
                strategy, CombineLifting.mergingPartials(keyCoder, fn, accumulatorCoder), context.options()));
  }

  private static boolean onePanePerWindow(WindowingStrategy<?, ?> strategy) {
    return !strategy.needsMerge()
        && strategy.getTrigger() instanceof DefaultTrigger
        && strategy.getTimestampCombiner() == TimestampCombiner.END_OF_WINDOW;
  }
}
