package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
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
    AccumulatorsPerKeyAndWindow<K, InputT, AccumT> accumulators =
        new AccumulatorsPerKeyAndWindow<>(fn);
    while (elements.hasNext()) {
      WindowedValue<KV<K, InputT>> element = elements.next();
      // Keys compare by their structural value: equal encodings are one key, as in the shuffle.
      Object structuralKey = keyCoder.structuralValue(element.getValue().getKey());
      accumulators.addByStructuralKey(structuralKey, element);
    }
    List<WindowedValue<KV<K, AccumT>>> out = new ArrayList<>(accumulators.partials().size());
    for (PartialAccumulator<K, AccumT> partial : accumulators.partials()) {
      out.add(
          WindowedValues.of(
              KV.of(partial.key, fn.compact(partial.accumulator)),
              partial.window.maxTimestamp(),
              partial.window,
              PaneInfo.NO_FIRING));
    }
    return out.iterator();
  }
}
