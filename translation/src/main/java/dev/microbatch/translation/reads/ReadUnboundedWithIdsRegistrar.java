package dev.microbatch.translation.reads;

import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.util.construction.PTransformTranslation.TransformPayloadTranslator;
import org.apache.beam.sdk.util.construction.TransformPayloadTranslatorRegistrar;

/** Gives {@link ReadUnboundedWithIds} its URN, by which the runner finds its translator. */
public final class ReadUnboundedWithIdsRegistrar implements TransformPayloadTranslatorRegistrar {
  @Override
  @SuppressWarnings("rawtypes")
  public Map<? extends Class<? extends PTransform>, ? extends TransformPayloadTranslator>
      getTransformPayloadTranslators() {
    return Map.of(
        ReadUnboundedWithIds.class,
        TransformPayloadTranslator.NotSerializable.forUrn(ReadUnboundedWithIds.URN));
  }
}
