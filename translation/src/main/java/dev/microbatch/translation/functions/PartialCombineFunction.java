package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import java.util.ArrayList;
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

/**
 * The map side of a lifted streaming Combine.perKey: a partition's inputs of one batch are added
 * into one accumulator per key and window, so only accumulators cross the shuffle. Each leaves at
 * its window's end, the time Beam gives a pane under end-of-window timestamps; the translator uses
 * this only where combining early cannot change a pane (see {@code CombineLifting}).
 */
public final class PartialCombineFunction<K, InputT, AccumT>
    implements PartitionFunction<WindowedValue<KV<K, InputT>>, WindowedValue<KV<K, AccumT>>> {
  private final Coder<K> keyCoder;
  private final CombineFn<InputT, AccumT, ?> fn;

  public PartialCombineFunction(Coder<K> keyCoder, CombineFn<InputT, AccumT, ?> fn) {
    this.keyCoder = keyCoder;
    this.fn = fn;
  }

  @Override
  public Iterator<WindowedValue<KV<K, AccumT>>> apply(
      Iterator<WindowedValue<KV<K, InputT>>> elements, TaskContext task) {
    // Keys compare by their structural value: equal encodings are one key, as in the shuffle.
    Map<KeyInWindow, Partial<K, AccumT>> partials = new HashMap<>();
    while (elements.hasNext()) {
      WindowedValue<KV<K, InputT>> element = elements.next();
      K key = element.getValue().getKey();
      Object structural = keyCoder.structuralValue(key);
      for (BoundedWindow window : element.getWindows()) {
        Partial<K, AccumT> partial =
            partials.computeIfAbsent(
                new KeyInWindow(structural, window),
                id -> new Partial<>(key, window, fn.createAccumulator()));
        partial.accumulator = fn.addInput(partial.accumulator, element.getValue().getValue());
      }
    }
    List<WindowedValue<KV<K, AccumT>>> out = new ArrayList<>(partials.size());
    for (Partial<K, AccumT> partial : partials.values()) {
      out.add(
          WindowedValues.of(
              KV.of(partial.key, fn.compact(partial.accumulator)),
              partial.window.maxTimestamp(),
              partial.window,
              PaneInfo.NO_FIRING));
    }
    return out.iterator();
  }

  private record KeyInWindow(Object structuralKey, BoundedWindow window) {}

  private static final class Partial<K, AccumT> {
    final K key;
    final BoundedWindow window;
    AccumT accumulator;

    Partial(K key, BoundedWindow window, AccumT accumulator) {
      this.key = key;
      this.window = window;
      this.accumulator = accumulator;
    }
  }
}
