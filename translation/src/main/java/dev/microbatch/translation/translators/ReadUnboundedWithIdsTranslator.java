package dev.microbatch.translation.translators;

import dev.microbatch.io.beam.ReadBounds;
import dev.microbatch.io.beam.UnboundedSourceInputDStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.reads.ReadUnboundedWithIds;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.values.ValueWithRecordId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A read of an unbounded source that keeps record ids: read batch by batch like any unbounded
 * read. A bounded one is complete, its watermark at +infinity, once every split reaches its bounds.
 */
public final class ReadUnboundedWithIdsTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    return null;
  }

  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    translate((ReadUnboundedWithIds<?>) transform.getTransform(), transform, context);
  }

  private static <T> void translate(
      ReadUnboundedWithIds<T> read,
      AppliedPTransform<?, ?, ?> transform,
      TranslationContext context) {
    String step = transform.getFullName();
    context.setStream(
        Transforms.<ValueWithRecordId<T>>output(transform),
        UnboundedSourceInputDStream.withIds(
            context.engine(),
            step,
            read.source(),
            context.options(),
            context.mode().maxRecordsPerBatch(),
            context.engine().config().batchInterval().toMillis(),
            new StepReadMetrics(context.metrics(), step),
            read.isBounded()
                ? new ReadBounds(read.maxNumRecords(), read.maxReadMillis())
                : ReadBounds.UNBOUNDED));
  }
}
