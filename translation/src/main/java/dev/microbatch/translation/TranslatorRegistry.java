package dev.microbatch.translation;

import dev.microbatch.io.kafka.ExactlyOnceKafkaSink;
import dev.microbatch.translation.translators.CombinePerKeyTranslator;
import dev.microbatch.translation.translators.StreamingCombinePerKeyTranslator;
import dev.microbatch.translation.translators.CreateViewTranslator;
import dev.microbatch.translation.translators.ExactlyOnceKafkaSinkTranslator;
import dev.microbatch.translation.translators.FlattenTranslator;
import dev.microbatch.translation.translators.GbkIntoKeyedWorkItemsTranslator;
import dev.microbatch.translation.translators.GroupByKeyTranslator;
import dev.microbatch.translation.translators.ImpulseTranslator;
import dev.microbatch.translation.translators.ParDoTranslator;
import dev.microbatch.translation.reads.ReadUnboundedWithIds;
import dev.microbatch.translation.translators.ReadTranslator;
import dev.microbatch.translation.translators.ReadUnboundedWithIdsTranslator;
import dev.microbatch.translation.translators.ReshuffleTranslator;
import dev.microbatch.translation.translators.SplittableProcessTranslator;
import dev.microbatch.translation.translators.TestStreamTranslator;
import dev.microbatch.translation.translators.WindowAssignTranslator;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.util.construction.PTransformTranslation;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The translators of one pipeline run, by URN: primitives that must be translated, and composites
 * that are translated whole when they can be (otherwise their expansion is translated).
 */
public final class TranslatorRegistry {
  private final Map<String, TransformTranslator> primitives;
  private final Map<String, TransformTranslator> composites;

  private TranslatorRegistry(
      Map<String, TransformTranslator> primitives, Map<String, TransformTranslator> composites) {
    this.primitives = Map.copyOf(primitives);
    this.composites = Map.copyOf(composites);
  }

  /** The translators for bounded pipelines, which run whole in one batch. */
  public static TranslatorRegistry forBatch() {
    return new TranslatorRegistry(primitives(), composites(true));
  }

  /**
   * The translators for streaming pipelines: Combine.perKey keeps accumulators in state (see
   * {@link StreamingCombinePerKeyTranslator}).
   */
  public static TranslatorRegistry forStreaming() {
    return new TranslatorRegistry(primitives(), composites(false));
  }

  private static Map<String, TransformTranslator> primitives() {
    return Map.ofEntries(
        Map.entry(PTransformTranslation.TEST_STREAM_TRANSFORM_URN, new TestStreamTranslator()),
        Map.entry(SplittableParDo.SPLITTABLE_GBKIKWI_URN, new GbkIntoKeyedWorkItemsTranslator()),
        Map.entry(SplittableProcessTranslator.URN, new SplittableProcessTranslator()),
        Map.entry(PTransformTranslation.IMPULSE_TRANSFORM_URN, new ImpulseTranslator()),
        Map.entry(PTransformTranslation.READ_TRANSFORM_URN, new ReadTranslator()),
        Map.entry(ReadUnboundedWithIds.URN, new ReadUnboundedWithIdsTranslator()),
        Map.entry(ExactlyOnceKafkaSink.URN, new ExactlyOnceKafkaSinkTranslator()),
        Map.entry(PTransformTranslation.PAR_DO_TRANSFORM_URN, new ParDoTranslator()),
        Map.entry(PTransformTranslation.GROUP_BY_KEY_TRANSFORM_URN, new GroupByKeyTranslator()),
        Map.entry(PTransformTranslation.FLATTEN_TRANSFORM_URN, new FlattenTranslator()),
        Map.entry(PTransformTranslation.ASSIGN_WINDOWS_TRANSFORM_URN, new WindowAssignTranslator()),
        Map.entry(PTransformTranslation.CREATE_VIEW_TRANSFORM_URN, new CreateViewTranslator()));
  }

  private static Map<String, TransformTranslator> composites(boolean bounded) {
    ReshuffleTranslator reshuffle = new ReshuffleTranslator();
    Map<String, TransformTranslator> composites = new HashMap<>();
    composites.put(PTransformTranslation.RESHUFFLE_URN, reshuffle);
    composites.put(PTransformTranslation.REDISTRIBUTE_BY_KEY_URN, reshuffle);
    composites.put(
        PTransformTranslation.COMBINE_PER_KEY_TRANSFORM_URN,
        bounded ? new CombinePerKeyTranslator() : new StreamingCombinePerKeyTranslator());
    return composites;
  }

  public @Nullable TransformTranslator primitive(@Nullable String urn) {
    return urn == null ? null : primitives.get(urn);
  }

  public @Nullable TransformTranslator composite(@Nullable String urn) {
    return urn == null ? null : composites.get(urn);
  }
}
