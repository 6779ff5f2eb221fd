package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Group;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.checkpoint.Fingerprints;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.functions.GroupAlsoByWindowFunction;
import dev.microbatch.translation.functions.StreamingGroupAlsoByWindow;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import dev.microbatch.translation.state.KeyedPartitionState;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * GroupByKey: shuffle by encoded key, then group also by window in each partition. A bounded
 * pipeline has all of a key's values in one batch and groups them at once; a streaming one keeps
 * each key's windows and triggers in a stateful stage across batches.
 */
public final class GroupByKeyTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    Coder<?> coder = Transforms.mainInput(transform).getCoder();
    return coder instanceof KvCoder ? null : "GroupByKey needs a KvCoder input, got " + coder;
  }

  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    translateTyped(Transforms.mainInput(transform), transform, context);
  }

  @SuppressWarnings("unchecked")
  private static <K, V, W extends BoundedWindow> void translateTyped(
      PCollection<KV<K, V>> input, AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    WindowingStrategy<?, W> strategy = (WindowingStrategy<?, W>) input.getWindowingStrategy();
    DStream<WindowedValue<KV<K, V>>> stream = context.streamOf(input);
    DStream<Group<WindowedValue<KV<K, V>>>> groups =
        stream.groupBy(BeamKeys.byKvKey(coder.getKeyCoder()), BeamElementCodec.of(input));
    DStream<WindowedValue<KV<K, Iterable<V>>>> grouped =
        context.isStreaming()
            ? groups.stateful(
                transform.getFullName(),
                new StreamingGroupAlsoByWindow<K, V, Iterable<V>, W>(
                    transform.getFullName(),
                    strategy,
                    SystemReduceFn.buffering(coder.getValueCoder()),
                    context.options(),
                    context.metrics()),
                () ->
                    KeyedPartitionState.forGrouping(
                        coder.getKeyCoder(),
                        strategy.getWindowFn().windowCoder(),
                        "GroupByKey values=" + Fingerprints.coder(coder.getValueCoder())))
            : groups.mapPartitions(
                "GroupAlsoByWindow",
                new GroupAlsoByWindowFunction<K, V, W>(
                    strategy, coder.getValueCoder(), context.options()));
    context.setStream(Transforms.output(transform), grouped);
  }
}
