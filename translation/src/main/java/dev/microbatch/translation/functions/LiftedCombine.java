package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Keyed;
import dev.microbatch.engine.shuffle.ByteKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Combine per key with combiner lifting: each partition adds its inputs into one accumulator per
 * key and window, only those accumulators cross the shuffle, and the reduce side merges them and
 * extracts the output. Valid for non-merging windows with the default trigger and end-of-window
 * timestamps, where each window yields exactly one on-time pane (the translator checks this).
 * Sliding windows are sliced ({@link SlidingSlices}) when given: each element is added once.
 */
public final class LiftedCombine<K, InputT, AccumT, OutputT> {
  private final Coder<K> keyCoder;
  private final CombineFn<InputT, AccumT, OutputT> fn;
  private final PartialAccumulatorCodec<K, AccumT> partialCodec;
  private final @Nullable SlidingSlices slices;
  private final @Nullable WindowsFromSlices<K, AccumT> windowsFromSlices;

  public LiftedCombine(
      Coder<K> keyCoder,
      Coder<? extends BoundedWindow> windowCoder,
      Coder<AccumT> accumulatorCoder,
      CombineFn<InputT, AccumT, OutputT> fn,
      @Nullable SlidingSlices slices,
      String step) {
    this.keyCoder = keyCoder;
    this.fn = fn;
    this.partialCodec = new PartialAccumulatorCodec<>(keyCoder, windowCoder, accumulatorCoder, step);
    this.slices = slices;
    this.windowsFromSlices = slices == null ? null : new WindowsFromSlices<>(slices, fn, accumulatorCoder);
  }

  public DStream<WindowedValue<KV<K, OutputT>>> apply(DStream<WindowedValue<KV<K, InputT>>> input) {
    return input
        .mapPartitions("CombinePartial", (elements, task) -> partial(elements))
        .shuffleKeyed(partial -> partial.encodedKey, partialCodec)
        .mapPartitions("CombineMerge", (partials, task) -> mergeAndExtract(partials));
  }

  private Iterator<PartialAccumulator<K, AccumT>> partial(
      Iterator<WindowedValue<KV<K, InputT>>> elements) throws Exception {
    AccumulatorsPerKeyAndWindow<K, InputT, AccumT> accumulators =
        new AccumulatorsPerKeyAndWindow<>(fn, slices);
    while (elements.hasNext()) {
      WindowedValue<KV<K, InputT>> element = elements.next();
      ByteKey encodedKey = BeamKeys.encode(keyCoder, element.getValue().getKey());
      accumulators.addByEncodedKey(encodedKey, element);
    }
    return accumulators.partials().iterator();
  }

  private Iterator<WindowedValue<KV<K, OutputT>>> mergeAndExtract(
      Iterator<Keyed<PartialAccumulator<K, AccumT>>> partials) throws Exception {
    Map<PartialAccumulator.KeyAndWindow, PartialAccumulator<K, AccumT>> merged = new HashMap<>();
    while (partials.hasNext()) {
      Keyed<PartialAccumulator<K, AccumT>> keyed = partials.next();
      PartialAccumulator<K, AccumT> partial = keyed.value();
      PartialAccumulator<K, AccumT> existing =
          merged.putIfAbsent(new PartialAccumulator.KeyAndWindow(keyed.key(), partial.window), partial);
      if (existing != null) {
        existing.accumulator = fn.mergeAccumulators(List.of(existing.accumulator, partial.accumulator));
      }
    }
    Collection<PartialAccumulator<K, AccumT>> windows =
        windowsFromSlices == null ? merged.values() : windowsFromSlices.assemble(merged);
    // Outputs are made as they are read: the windows' accumulators are not held twice.
    return windows.stream().map(this::output).iterator();
  }

  private WindowedValue<KV<K, OutputT>> output(PartialAccumulator<K, AccumT> window) {
    return WindowedValues.of(
        KV.of(window.key, fn.extractOutput(window.accumulator)),
        window.window.maxTimestamp(),
        window.window,
        PaneInfo.ON_TIME_AND_ONLY_FIRING);
  }
}
