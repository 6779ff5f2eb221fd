package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Group;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.core.KeyedWorkItem;
import org.apache.beam.runners.core.KeyedWorkItems;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * The grouping step of a splittable DoFn (elements paired with restrictions, under random unique
 * keys): a shuffle by key, then one keyed work item per key and batch, in the global window as
 * Beam's splittable processing expects. The processing stage that follows keeps the partitioning.
 */
public final class GbkIntoKeyedWorkItemsTranslator implements TransformTranslator {

  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    translateTyped(Transforms.mainInput(transform), transform, context);
  }

  private static <V> void translateTyped(
      PCollection<KV<byte[], V>> input, AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    DStream<WindowedValue<KeyedWorkItem<byte[], V>>> workItems =
        context
            .streamOf(input)
            .groupBy(BeamKeys.<byte[], V>byKvKey(ByteArrayCoder.of()), BeamElementCodec.of(input))
            .map(GbkIntoKeyedWorkItemsTranslator::workItem);
    context.setStream(Transforms.output(transform), workItems);
  }

  private static <V> WindowedValue<KeyedWorkItem<byte[], V>> workItem(
      Group<WindowedValue<KV<byte[], V>>> group) {
    List<WindowedValue<V>> elements = new ArrayList<>(group.elements().size());
    for (WindowedValue<KV<byte[], V>> element : group.elements()) {
      elements.add(element.withValue(element.getValue().getValue()));
    }
    byte[] key = group.elements().get(0).getValue().getKey();
    return WindowedValues.valueInGlobalWindow(KeyedWorkItems.elementsWorkItem(key, elements));
  }
}
