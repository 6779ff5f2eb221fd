package dev.microbatch.translation.functions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;

/**
 * The reduce side of pane slicing ({@link SlidingSlices}): each key's sliding windows built from
 * the slices they cover, plus the accumulators of elements that were added to whole windows (ones
 * not in all the windows of their time). A key's slices are swept in time order, so each window is
 * one run of consecutive slices and no map of every key and window is built.
 */
final class WindowsFromSlices<K, AccumT> {
  private final SlidingSlices slices;
  private final CombineFn<?, AccumT, ?> fn;
  private final Coder<AccumT> accumulatorCoder;

  WindowsFromSlices(SlidingSlices slices, CombineFn<?, AccumT, ?> fn, Coder<AccumT> accumulatorCoder) {
    this.slices = slices;
    this.fn = fn;
    this.accumulatorCoder = accumulatorCoder;
  }

  /** One accumulator per key and whole window, from partials per key and slice or window. */
  Collection<PartialAccumulator<K, AccumT>> assemble(
      Map<PartialAccumulator.KeyAndWindow, PartialAccumulator<K, AccumT>> partials)
      throws CoderException {
    Map<Object, KeyParts<K, AccumT>> byKey = new HashMap<>();
    for (Map.Entry<PartialAccumulator.KeyAndWindow, PartialAccumulator<K, AccumT>> entry :
        partials.entrySet()) {
      PartialAccumulator<K, AccumT> partial = entry.getValue();
      KeyParts<K, AccumT> parts = byKey.computeIfAbsent(entry.getKey().key(), id -> new KeyParts<>(partial.key));
      if (slices.isSlice(partial.window)) {
        parts.slices.add(partial);
      } else {
        parts.wholeWindows
            .computeIfAbsent(start(partial.window), start -> new ArrayList<>())
            .add(partial.accumulator);
      }
    }
    List<PartialAccumulator<K, AccumT>> windows = new ArrayList<>();
    for (KeyParts<K, AccumT> parts : byKey.values()) {
      sweep(parts, windows);
    }
    return windows;
  }

  /** Adds each window of one key that has a slice or a whole-window part to {@code out}. */
  private void sweep(KeyParts<K, AccumT> parts, List<PartialAccumulator<K, AccumT>> out)
      throws CoderException {
    List<PartialAccumulator<K, AccumT>> sorted = parts.slices;
    sorted.sort(Comparator.comparingLong(partial -> start(partial.window)));
    long size = slices.size();
    long period = slices.period();
    int first = 0; // the window's slices are sorted[first, end)
    int end = 0;
    long start = sorted.isEmpty() ? 0 : start(sorted.get(0).window) + period - size;
    while (first < sorted.size()) {
      while (end < sorted.size() && start(sorted.get(end).window) < start + size) {
        end++;
      }
      while (first < end && start(sorted.get(first).window) < start) {
        first++;
      }
      if (first == end) {
        if (first < sorted.size()) {
          // No slice in this window: on to the first window of the next slice.
          start = start(sorted.get(first).window) + period - size;
        }
        continue;
      }
      List<AccumT> accumulators = new ArrayList<>(end - first + 1);
      for (int i = first; i < end; i++) {
        PartialAccumulator<K, AccumT> slice = sorted.get(i);
        // mergeAccumulators may modify any accumulator it is given: a slice's own goes to the
        // last window that covers it (the one starting with it), a copy to each before.
        accumulators.add(
            start(slice.window) == start
                ? slice.accumulator
                : CoderUtils.clone(accumulatorCoder, slice.accumulator));
      }
      List<AccumT> whole = parts.wholeWindows.remove(start);
      if (whole != null) {
        accumulators.addAll(whole);
      }
      out.add(window(parts.key, start, size, accumulators));
      start += period;
    }
    for (Map.Entry<Long, List<AccumT>> leftover : parts.wholeWindows.entrySet()) {
      out.add(window(parts.key, leftover.getKey(), size, leftover.getValue()));
    }
  }

  private PartialAccumulator<K, AccumT> window(K key, long start, long size, List<AccumT> accumulators) {
    AccumT merged = accumulators.size() == 1 ? accumulators.get(0) : fn.mergeAccumulators(accumulators);
    IntervalWindow window = new IntervalWindow(new Instant(start), new Instant(start + size));
    return new PartialAccumulator<>(null, key, window, merged);
  }

  private static long start(BoundedWindow window) {
    return ((IntervalWindow) window).start().getMillis();
  }

  /** One key's slices and its whole-window accumulators by window start. */
  private static final class KeyParts<K, AccumT> {
    final K key;
    final List<PartialAccumulator<K, AccumT>> slices = new ArrayList<>();
    final Map<Long, List<AccumT>> wholeWindows = new TreeMap<>();

    KeyParts(K key) {
      this.key = key;
    }
  }
}
