package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Group;
import dev.microbatch.translation.functions.AccumulatorMergingFn;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.functions.PartialCombineFunction;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.util.AppliedCombineFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * When a Combine.perKey may run as accumulators rather than as its GroupByKey expansion, and the
 * pieces both modes build it from.
 */
final class CombineLifting {
  private CombineLifting() {}

  /**
   * Why the combine cannot be lifted at all, or null: it needs a plain CombineFn without side
   * inputs and with an accumulator coder.
   */
  static @Nullable String unliftableReason(AppliedPTransform<?, ?, ?> transform) {
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
    return null;
  }

  /**
   * Whether inputs may be combined before they reach the key's state without changing a pane: the
   * windows do not merge, panes are timestamped at the window's end, and no trigger counts elements
   * (an accumulator would count as one). Processing-time triggers are safe: a batch's elements all
   * arrive at the batch's time.
   */
  static boolean combinesEarly(WindowingStrategy<?, ?> strategy) {
    return !strategy.needsMerge()
        && strategy.getTimestampCombiner() == TimestampCombiner.END_OF_WINDOW
        && !countsElements(strategy.getTrigger());
  }

  private static boolean countsElements(Trigger trigger) {
    if (trigger instanceof AfterPane) {
      return true;
    }
    for (Trigger sub : trigger.subTriggers()) {
      if (countsElements(sub)) {
        return true;
      }
    }
    return false;
  }

  /** The accumulator's coder, or null if Beam cannot infer one. */
  @SuppressWarnings("unchecked")
  static <K, InputT, AccumT> @Nullable Coder<AccumT> accumulatorCoder(
      Combine.PerKey<?, ?, ?> combine, PCollection<?> input) {
    Combine.CombineFn<InputT, AccumT, ?> fn = (Combine.CombineFn<InputT, AccumT, ?>) combine.getFn();
    Coder<InputT> valueCoder = ((KvCoder<K, InputT>) input.getCoder()).getValueCoder();
    try {
      return fn.getAccumulatorCoder(input.getPipeline().getCoderRegistry(), valueCoder);
    } catch (CannotProvideCoderException e) {
      return null;
    }
  }

  /** Each partition's inputs of a batch combined per key and window, then grouped by key. */
  static <K, InputT, AccumT> DStream<Group<WindowedValue<KV<K, AccumT>>>> partialsByKey(
      DStream<WindowedValue<KV<K, InputT>>> inputs,
      Coder<K> keyCoder,
      CombineFn<InputT, AccumT, ?> fn,
      Coder<AccumT> accumulatorCoder,
      Coder<? extends BoundedWindow> windowCoder,
      String name) {
    return inputs
        .mapPartitions("CombinePartial", new PartialCombineFunction<>(keyCoder, fn))
        .groupBy(
            BeamKeys.byKvKey(keyCoder),
            BeamElementCodec.windowed(
                KvCoder.of(keyCoder, accumulatorCoder), windowCoder, name + " partials"));
  }

  /** ReduceFnRunner's function that adds inputs into one accumulator per window. */
  static <K, InputT, AccumT, OutputT, W extends BoundedWindow>
      SystemReduceFn<K, InputT, AccumT, OutputT, W> addingInputs(
          Coder<K> keyCoder, CombineFn<InputT, AccumT, OutputT> fn, Coder<AccumT> accumulatorCoder) {
    return SystemReduceFn.combining(keyCoder, AppliedCombineFn.withAccumulatorCoder(fn, accumulatorCoder));
  }

  /** ReduceFnRunner's function that merges partial accumulators (of {@link #partialsByKey}). */
  static <K, InputT, AccumT, OutputT, W extends BoundedWindow>
      SystemReduceFn<K, AccumT, AccumT, OutputT, W> mergingPartials(
          Coder<K> keyCoder, CombineFn<InputT, AccumT, OutputT> fn, Coder<AccumT> accumulatorCoder) {
    return SystemReduceFn.combining(
        keyCoder, AppliedCombineFn.withAccumulatorCoder(new AccumulatorMergingFn<>(fn), accumulatorCoder));
  }
}
