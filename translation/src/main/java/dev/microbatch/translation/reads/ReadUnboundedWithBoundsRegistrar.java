package dev.microbatch.translation.reads;

import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.util.construction.PTransformTranslation.TransformPayloadTranslator;
import org.apache.beam.sdk.util.construction.TransformPayloadTranslatorRegistrar;

/** Gives {@link ReadUnboundedWithBounds} its URN, by which the runner finds its translator. */
public final class ReadUnboundedWithBoundsRegistrar implements TransformPayloadTranslatorRegistrar {
  @Override
  @SuppressWarnings("rawtypes")
  public Map<? extends Class<? extends PTransform>, ? extends TransformPayloadTranslator>
      getTransformPayloadTranslators() {
    return Map.of(
        ReadUnboundedWithBounds.class,
        TransformPayloadTranslator.NotSerializable.forUrn(ReadUnboundedWithBounds.URN));
  }
}
