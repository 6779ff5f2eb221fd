package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.io.beam.BoundedSourceInputDStream;
import dev.microbatch.io.beam.StreamedBoundedSourceInputDStream;
import dev.microbatch.io.beam.UnboundedSourceInputDStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The primitive reads. A bounded source is split across partitions and read whole by one batch,
 * or, when streaming, a bounded number of records per partition per batch. An unbounded source
 * (which makes the pipeline a streaming one) is read batch by batch, bounded in records and time.
 */
public final class ReadTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    return transform.getTransform() instanceof SplittableParDo.PrimitiveBoundedRead
            || transform.getTransform() instanceof SplittableParDo.PrimitiveUnboundedRead
        ? null
        : "a read of kind " + transform.getTransform().getClass().getName()
            + " that is neither Read.Bounded nor Read.Unbounded";
  }

  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    StepReadMetrics metrics = new StepReadMetrics(context.metrics(), transform.getFullName());
    if (transform.getTransform() instanceof SplittableParDo.PrimitiveUnboundedRead<?> read) {
      translateUnbounded(read, transform, context, metrics);
    } else {
      translateBounded(
          (SplittableParDo.PrimitiveBoundedRead<?>) transform.getTransform(),
          transform,
          context,
          metrics::container);
    }
  }

  private static <T> void translateBounded(
      SplittableParDo.PrimitiveBoundedRead<T> read,
      AppliedPTransform<?, ?, ?> transform,
      TranslationContext context,
      Function<TaskContext, MetricsContainer> metrics) {
    String step = transform.getFullName();
    context.setStream(
        Transforms.<T>output(transform),
        context.isStreaming()
            ? new StreamedBoundedSourceInputDStream<>(
                context.engine(),
                step,
                read.getSource(),
                context.options(),
                context.mode().maxRecordsPerBatch(),
                metrics)
            : new BoundedSourceInputDStream<>(
                context.engine(), step, read.getSource(), context.options(), metrics));
  }

  private static <T> void translateUnbounded(
      SplittableParDo.PrimitiveUnboundedRead<T> read,
      AppliedPTransform<?, ?, ?> transform,
      TranslationContext context,
      StepReadMetrics metrics) {
    context.setStream(
        Transforms.<T>output(transform),
        UnboundedSourceInputDStream.unbounded(
            context.engine(),
            transform.getFullName(),
            read.getSource(),
            context.options(),
            context.mode().maxRecordsPerBatch(),
            context.engine().config().batchInterval().toMillis(),
            metrics));
  }
}
