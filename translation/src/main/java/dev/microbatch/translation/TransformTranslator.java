package dev.microbatch.translation;

import org.apache.beam.sdk.runners.AppliedPTransform;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Translates one kind of Beam transform (one URN) into streams of the engine. */
public interface TransformTranslator {

  /**
   * Why this application cannot be translated, or null when it can. Called for every transform
   * before anything is translated, so that all problems are reported at once.
   */
  default @Nullable String unsupportedReason(AppliedPTransform<?, ?, ?> transform) {
    return null;
  }

  /** Adds the engine streams of {@code transform}'s outputs to {@code context}. */
  void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context);
}
