package dev.microbatch.translation.translators;

import dev.microbatch.io.beam.ImpulseInputDStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import org.apache.beam.sdk.runners.AppliedPTransform;

/** Impulse: a one-shot input of one empty byte array. */
public final class ImpulseTranslator implements TransformTranslator {
  @Override
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    context.setStream(Transforms.<byte[]>output(transform), new ImpulseInputDStream(context.engine()));
  }
}
