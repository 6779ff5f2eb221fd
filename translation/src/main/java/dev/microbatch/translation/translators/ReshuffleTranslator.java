package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reshuffle and Redistribute.byKey (composites): a shuffle by encoded key that keeps each
 * element's value, timestamp, windows and pane as they were, instead of Beam's expansion through a
 * GroupByKey that regroups and restores them.
 */
public final class ReshuffleTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    Coder<?> coder = Transforms.mainInput(transform).getCoder();
    return coder instanceof KvCoder ? null : "a reshuffle needs a KvCoder input, got " + coder;
  }

  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    translateTyped(Transforms.mainInput(transform), transform, context);
  }

  @SuppressWarnings("unchecked")
  private static <K, V> void translateTyped(
      PCollection<KV<K, V>> input, AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    Coder<K> keyCoder = ((KvCoder<K, V>) input.getCoder()).getKeyCoder();
    DStream<WindowedValue<KV<K, V>>> shuffled =
        context.streamOf(input).shuffle(BeamKeys.byKvKey(keyCoder), BeamElementCodec.of(input));
    context.setStream(Transforms.output(transform), shuffled);
  }
}
