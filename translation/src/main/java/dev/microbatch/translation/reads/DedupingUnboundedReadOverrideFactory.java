package dev.microbatch.translation.reads;

import java.util.Map;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformMatcher;
import org.apache.beam.sdk.runners.PTransformOverrideFactory;
import org.apache.beam.sdk.util.construction.ReplacementOutputs;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Replaces a primitive unbounded read whose source requires deduplication with {@link
 * DeduplicatedUnboundedRead}; other unbounded reads stay as they are, with no per-record cost.
 */
public final class DedupingUnboundedReadOverrideFactory<T>
    implements PTransformOverrideFactory<
        PBegin, PCollection<T>, SplittableParDo.PrimitiveUnboundedRead<T>> {

  /** Matches the unbounded reads this factory replaces. */
  public static PTransformMatcher matcher() {
    return transform ->
        transform.getTransform() instanceof SplittableParDo.PrimitiveUnboundedRead<?> read
            && read.getSource().requiresDeduping();
  }

  @Override
  public PTransformReplacement<PBegin, PCollection<T>> getReplacementTransform(
      AppliedPTransform<PBegin, PCollection<T>, SplittableParDo.PrimitiveUnboundedRead<T>>
          transform) {
    return PTransformReplacement.of(
        transform.getPipeline().begin(),
        new DeduplicatedUnboundedRead<>(transform.getTransform().getSource()));
  }

  @Override
  public Map<PCollection<?>, ReplacementOutput> mapOutputs(
      Map<TupleTag<?>, PCollection<?>> outputs, PCollection<T> newOutput) {
    return ReplacementOutputs.singleton(outputs, newOutput);
  }
}
