package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;

/** Flatten: the union of its inputs' streams (an empty stream for no inputs). Elements move as objects, so input coders may differ. */
public final class FlattenTranslator implements TransformTranslator {

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    List<DStream<WindowedValue<Object>>> inputs = new ArrayList<>();
    for (PCollection<?> input : transform.getInputs().values()) {
      inputs.add(context.streamOf((PCollection<Object>) input));
    }
    DStream<WindowedValue<Object>> union;
    if (inputs.isEmpty()) {
      union = context.engine().emptyStream();
    } else {
      union = inputs.get(0).union(inputs.subList(1, inputs.size()).toArray(new DStream[0]));
    }
    context.setStream(Transforms.output(transform), union);
  }
}
