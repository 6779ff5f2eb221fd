package dev.microbatch.translation.functions;

import dev.microbatch.engine.shuffle.ByteKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The map side of a lifted Combine.perKey: a partition's inputs added into one accumulator per key
 * and window. The caller gives each element's key identity (its encoding, or its structural
 * value), so that keys the shuffle sees as one share an accumulator. With {@link SlidingSlices},
 * an element in all the sliding windows of its time goes into its slice's accumulator instead,
 * once; the reduce side builds the windows from slices.
 */
final class AccumulatorsPerKeyAndWindow<K, InputT, AccumT> {
  private final CombineFn<InputT, AccumT, ?> fn;
  private final @Nullable SlidingSlices slices;
  private final Map<PartialAccumulator.KeyAndWindow, PartialAccumulator<K, AccumT>> partials =
      new HashMap<>();

  AccumulatorsPerKeyAndWindow(CombineFn<InputT, AccumT, ?> fn) {
    this(fn, null);
  }

  AccumulatorsPerKeyAndWindow(CombineFn<InputT, AccumT, ?> fn, @Nullable SlidingSlices slices) {
    this.fn = fn;
    this.slices = slices;
  }

  /** Adds the element under its key's encoding, which its partials carry to the shuffle. */
  void addByEncodedKey(ByteKey encodedKey, WindowedValue<KV<K, InputT>> element) {
    add(encodedKey, encodedKey, element);
  }

  /** Adds the element under its key's structural value: equal encodings are one key. */
  void addByStructuralKey(Object structuralKey, WindowedValue<KV<K, InputT>> element) {
    add(structuralKey, null, element);
  }

  /** Every partial accumulator so far, one per key and window. */
  Collection<PartialAccumulator<K, AccumT>> partials() {
    return partials.values();
  }

  private void add(
      Object keyIdentity, @Nullable ByteKey encodedKey, WindowedValue<KV<K, InputT>> element) {
    BoundedWindow slice = slices == null ? null : slices.sliceOf(element.getWindows());
    if (slice != null) {
      addTo(keyIdentity, encodedKey, slice, element.getValue());
      return;
    }
    for (BoundedWindow window : element.getWindows()) {
      addTo(keyIdentity, encodedKey, window, element.getValue());
    }
  }

  private void addTo(
      Object keyIdentity, @Nullable ByteKey encodedKey, BoundedWindow window, KV<K, InputT> input) {
    PartialAccumulator<K, AccumT> partial =
        partials.computeIfAbsent(
            new PartialAccumulator.KeyAndWindow(keyIdentity, window),
            id -> new PartialAccumulator<>(encodedKey, input.getKey(), window, fn.createAccumulator()));
    partial.accumulator = fn.addInput(partial.accumulator, input.getValue());
  }
}
