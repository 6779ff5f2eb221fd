package dev.microbatch.translation.translators;

import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.functions.LiftedCombine;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Combine.perKey (a composite) with combiner lifting, where lifting gives exactly Beam's result:
 * a plain CombineFn without side inputs over non-merging windows with the default trigger and
 * end-of-window timestamps. Anything else is expanded into GroupByKey and Combine.GroupedValues.
 */
public final class CombinePerKeyTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    if (!(transform.getTransform() instanceof Combine.PerKey<?, ?, ?> combine)) {
      return "not a Combine.PerKey";
    }
    if (!combine.getSideInputs().isEmpty()) {
      return "has side inputs";
    }
    if (!(combine.getFn() instanceof Combine.CombineFn)) {
      return "is not a plain CombineFn";
    }
    PCollection<?> input = Transforms.mainInput(transform);
    if (!(input.getCoder() instanceof KvCoder)) {
      return "input is not KvCoder-encoded";
    }
    if (accumulatorCoder(combine, input) == null) {
      return "no coder for the accumulator";
    }
    WindowingStrategy<?, ?> strategy = input.getWindowingStrategy();
    if (strategy.needsMerge()
        || !(strategy.getTrigger() instanceof DefaultTrigger)
        || strategy.getTimestampCombiner() != TimestampCombiner.END_OF_WINDOW) {
      return "windowing needs the full GroupByKey";
    }
    return null;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    Combine.PerKey<Object, Object, Object> combine =
        (Combine.PerKey<Object, Object, Object>) transform.getTransform();
    PCollection<KV<Object, Object>> input = Transforms.mainInput(transform);
    Coder<Object> keyCoder = ((KvCoder<Object, Object>) input.getCoder()).getKeyCoder();
    LiftedCombine lifted =
        new LiftedCombine<>(
            keyCoder,
            input.getWindowingStrategy().getWindowFn().windowCoder(),
            accumulatorCoder(combine, input),
            (Combine.CombineFn<Object, Object, Object>) combine.getFn(),
            transform.getFullName());
    context.setStream(Transforms.output(transform), lifted.apply(context.streamOf(input)));
  }

  /** The accumulator's coder, or null if Beam cannot infer one (then the combine is not lifted). */
  @SuppressWarnings("unchecked")
  private static <K, InputT, AccumT> @Nullable Coder<AccumT> accumulatorCoder(
      Combine.PerKey<?, ?, ?> combine, PCollection<?> input) {
    Combine.CombineFn<InputT, AccumT, ?> fn = (Combine.CombineFn<InputT, AccumT, ?>) combine.getFn();
    Coder<InputT> valueCoder = ((KvCoder<K, InputT>) input.getCoder()).getValueCoder();
    try {
      return fn.getAccumulatorCoder(input.getPipeline().getCoderRegistry(), valueCoder);
    } catch (CannotProvideCoderException e) {
      return null;
    }
  }
}
