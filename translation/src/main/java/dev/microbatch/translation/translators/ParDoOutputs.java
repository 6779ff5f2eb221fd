package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.functions.TaggedOutput;
import dev.microbatch.translation.functions.TaggedOutputCodec;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * The outputs of a ParDo-like transform: ordered with the main output first (a tag's position is
 * its output index), and bound to the transform's stream, which carries plain values for a single
 * output and {@link TaggedOutput}s for several.
 */
final class ParDoOutputs {
  private ParDoOutputs() {}

  static Map<TupleTag<?>, PCollection<?>> ordered(
      TupleTag<?> mainTag, AppliedPTransform<?, ?, ?> transform) {
    Map<TupleTag<?>, PCollection<?>> ordered = new LinkedHashMap<>();
    PCollection<?> main = transform.getOutputs().get(mainTag);
    if (main != null) {
      ordered.put(mainTag, main);
    }
    transform.getOutputs().forEach(ordered::putIfAbsent);
    return ordered;
  }

  /** The coder of each output's windows. */
  static Map<TupleTag<?>, Coder<? extends BoundedWindow>> windowCoders(
      Map<TupleTag<?>, PCollection<?>> outputs) {
    Map<TupleTag<?>, Coder<? extends BoundedWindow>> coders = new LinkedHashMap<>();
    outputs.forEach(
        (tag, output) -> coders.put(tag, BeamElementCodec.windowCoderOf(output)));
    return coders;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void bind(
      Map<TupleTag<?>, PCollection<?>> outputs, DStream<Object> results, TranslationContext context) {
    if (outputs.size() == 1) {
      context.setStream(outputs.values().iterator().next(), (DStream) results);
      return;
    }
    // Read by one filter per output, a bounded pipeline's one batch of tagged outputs is kept
    // encoded, as setStream keeps a PCollection's (a streaming batch stays objects).
    if (!context.mode().streaming()) {
      results.storeEncoded(taggedOutputCodec(outputs));
    }
    int index = 0;
    for (PCollection<?> output : outputs.values()) {
      int wanted = index++;
      DStream<WindowedValue<Object>> own =
          results
              .filter(tagged -> ((TaggedOutput) tagged).outputIndex() == wanted)
              .map(tagged -> (WindowedValue<Object>) ((TaggedOutput) tagged).value());
      context.setStream((PCollection<Object>) output, own);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static TaggedOutputCodec taggedOutputCodec(Map<TupleTag<?>, PCollection<?>> outputs) {
    List<Coder<WindowedValue<?>>> coders = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (PCollection<?> output : outputs.values()) {
      coders.add((Coder) WindowedValues.getFullCoder(output.getCoder(), BeamElementCodec.windowCoderOf(output)));
      names.add(output.getName());
    }
    return new TaggedOutputCodec(coders, String.join(", ", names));
  }
}
