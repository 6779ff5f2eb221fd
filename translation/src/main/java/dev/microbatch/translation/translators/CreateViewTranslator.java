package dev.microbatch.translation.translators;

import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import org.apache.beam.sdk.runners.AppliedPTransform;

/**
 * CreatePCollectionView: its output is its input. A ParDo that reads the view reads the view's
 * PCollection stream directly, which the engine materializes for the batch before the ParDo runs.
 */
public final class CreateViewTranslator implements TransformTranslator {
  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    context.setStream(Transforms.output(transform), context.streamOf(Transforms.mainInput(transform)));
  }
}
