package dev.microbatch.translation.translators;

import dev.microbatch.io.kafka.ExactlyOnceKafkaSink;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.util.construction.PTransformTranslation.TransformPayloadTranslator;
import org.apache.beam.sdk.util.construction.TransformPayloadTranslatorRegistrar;

/** Gives {@link ExactlyOnceKafkaSink} its URN, by which the runner finds its translator. */
public final class ExactlyOnceKafkaSinkRegistrar implements TransformPayloadTranslatorRegistrar {
  @Override
  @SuppressWarnings("rawtypes")
  public Map<? extends Class<? extends PTransform>, ? extends TransformPayloadTranslator>
      getTransformPayloadTranslators() {
    return Map.of(
        ExactlyOnceKafkaSink.class,
        TransformPayloadTranslator.NotSerializable.forUrn(ExactlyOnceKafkaSink.URN));
  }
}
