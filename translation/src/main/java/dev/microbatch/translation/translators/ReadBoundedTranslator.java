package dev.microbatch.translation.translators;

import dev.microbatch.io.beam.BoundedSourceInputDStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The primitive bounded read: the source split across partitions, read whole by one batch. */
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
    context.setStream(
        Transforms.<T>output(transform),
        new BoundedSourceInputDStream<>(
            context.engine(),
            step,
            read.getSource(),
            context.options(),
            task -> context.metrics().container(task, step)));
  }
}
