package dev.microbatch.translation.translators;

import dev.microbatch.engine.exec.TaskContext;
import dev.microbatch.io.beam.BoundedSourceInputDStream;
import dev.microbatch.io.beam.StreamedBoundedSourceInputDStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The primitive bounded read: the source split across partitions, read whole by one batch, or,
 * when streaming, a bounded number of records per partition per batch.
 */
public final class ReadBoundedTranslator implements TransformTranslator {

  @Override
  public @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    return transform.getTransform() instanceof SplittableParDo.PrimitiveBoundedRead
        ? null
        : "unbounded reads come with streaming support (Read.Unbounded of "
            + transform.getTransform().getClass().getName()
            + ")";
  }

  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    translateTyped((SplittableParDo.PrimitiveBoundedRead<?>) transform.getTransform(), transform, context);
  }

  private static <T> void translateTyped(
      SplittableParDo.PrimitiveBoundedRead<T> read,
      AppliedPTransform<?, ?, ?> transform,
      TranslationContext context) {
    String step = transform.getFullName();
    Function<TaskContext, MetricsContainer> metrics = task -> context.metrics().container(task, step);
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
}
