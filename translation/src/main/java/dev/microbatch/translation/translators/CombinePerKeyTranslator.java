package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Group;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.functions.BatchPanes;
import dev.microbatch.translation.functions.BatchReduceFunction;
import dev.microbatch.translation.functions.LiftedCombine;
import dev.microbatch.translation.functions.SlidingSlices;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Combine.perKey in a bounded pipeline, lifted ({@link AccumulatingCombineTranslator}) with the
 * reduce in a mapPartitions ({@link BatchReduceFunction}). Over non-merging windows with one
 * on-time pane each ({@link BatchPanes#oneOnTimePanePerWindow}) partitions combine before the
 * shuffle and the reduce side merges without ReduceFnRunner ({@link LiftedCombine}). Merging
 * windows with that one pane are left to the GroupByKey expansion, which merges them directly.
 */
public final class CombinePerKeyTranslator extends AccumulatingCombineTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    String unliftable = super.unsupportedReason(transform);
    if (unliftable != null) {
      return unliftable;
    }
    WindowingStrategy<?, ?> strategy = Transforms.mainInput(transform).getWindowingStrategy();
    if (strategy.needsMerge() && BatchPanes.oneOnTimePanePerWindow(strategy)) {
      // The GroupByKey merges such windows once per key without ReduceFnRunner: faster.
      return "merging windows with the default trigger are grouped directly";
    }
    return null;
  }

  @Override
  <K, InputT, AccumT, OutputT, W extends BoundedWindow>
      DStream<WindowedValue<KV<K, OutputT>>> combine(
          CombineSpec<K, InputT, AccumT, OutputT, W> combine, TranslationContext context) {
    WindowingStrategy<?, W> windowing = combine.windowing();
    if (!windowing.needsMerge() && BatchPanes.oneOnTimePanePerWindow(windowing)) {
      return new LiftedCombine<>(
              combine.keyCoder(),
              combine.windowCoder(),
              combine.accumulatorCoder(),
              combine.fn(),
              SlidingSlices.of(windowing.getWindowFn()),
              combine.name())
          .apply(context.streamOf(combine.input()));
    }
    return combineInWindows(combine, context);
  }

  @Override
  <K, V, OutputT, W extends BoundedWindow> DStream<WindowedValue<KV<K, OutputT>>> reduce(
      CombineSpec<K, ?, ?, OutputT, W> combine,
      DStream<Group<WindowedValue<KV<K, V>>>> groups,
      SystemReduceFn<K, V, ?, OutputT, W> reduceFn,
      boolean combinedEarly,
      TranslationContext context) {
    return groups.mapPartitions(
        "CombineInWindows",
        new BatchReduceFunction<>(combine.windowing(), reduceFn, context.options()));
  }
}
