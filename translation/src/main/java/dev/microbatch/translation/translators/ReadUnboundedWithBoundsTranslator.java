package dev.microbatch.translation.translators;

import dev.microbatch.io.beam.ReadBounds;
import dev.microbatch.io.beam.UnboundedSourceInputDStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.reads.ReadUnboundedWithBounds;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.values.ValueWithRecordId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A bounded read of an unbounded source: read like an unbounded one, batch by batch, until every
 * split reaches its bounds; then the read is complete and its watermark at +infinity.
 */
public final class ReadUnboundedWithBoundsTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    return null;
  }

  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    translate((ReadUnboundedWithBounds<?>) transform.getTransform(), transform, context);
  }

  private static <T> void translate(
      ReadUnboundedWithBounds<T> read,
      AppliedPTransform<?, ?, ?> transform,
      TranslationContext context) {
    String step = transform.getFullName();
    context.setStream(
        Transforms.<ValueWithRecordId<T>>output(transform),
        UnboundedSourceInputDStream.bounded(
            context.engine(),
            step,
            read.source(),
            context.options(),
            context.mode().maxRecordsPerBatch(),
            context.engine().config().batchInterval().toMillis(),
            new StepReadMetrics(context.metrics(), step),
            new ReadBounds(read.maxNumRecords(), read.maxReadMillis())));
  }
}
