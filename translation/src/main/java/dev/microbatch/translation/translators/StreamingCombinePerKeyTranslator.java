package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Group;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.checkpoint.Fingerprints;
import dev.microbatch.translation.functions.StreamingGroupAlsoByWindow;
import dev.microbatch.translation.state.KeyedPartitionState;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * Combine.perKey in a streaming pipeline, lifted ({@link AccumulatingCombineTranslator}) under any
 * windowing and trigger: the reduce runs in a stateful stage ({@link StreamingGroupAlsoByWindow}),
 * so a key's state holds one accumulator per window across batches, not every value.
 */
public final class StreamingCombinePerKeyTranslator extends AccumulatingCombineTranslator {

  @Override
  <K, V, OutputT, W extends BoundedWindow> DStream<WindowedValue<KV<K, OutputT>>> reduce(
      CombineSpec<K, ?, ?, OutputT, W> combine,
      DStream<Group<WindowedValue<KV<K, V>>>> groups,
      SystemReduceFn<K, V, ?, OutputT, W> reduceFn,
      boolean combinedEarly,
      TranslationContext context) {
    StreamingGroupAlsoByWindow<K, V, OutputT, W> reduce =
        new StreamingGroupAlsoByWindow<>(
            combine.name(), combine.windowing(), reduceFn, context.options(), context.metrics());
    Coder<K> keyCoder = combine.keyCoder();
    Coder<W> windowCoder = combine.windowCoder();
    // A checkpoint restores only into state of the same fingerprint: same coder, same reduce.
    String stateFingerprint =
        "Combine.perKey accumulators="
            + Fingerprints.coder(combine.accumulatorCoder())
            + (combinedEarly ? " combined early" : "");
    return groups.stateful(
        reduce.stepName(),
        reduce,
        () -> KeyedPartitionState.forGrouping(keyCoder, windowCoder, stateFingerprint));
  }
}
