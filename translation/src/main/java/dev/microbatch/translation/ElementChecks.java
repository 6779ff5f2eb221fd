package dev.microbatch.translation;

/**
 * Checks of user code that Beam's model requires and a test run should reveal, at a cost per
 * element, so they are opt-in ({@code --checkEncodability}, {@code --checkImmutability}; Beam's
 * DirectRunner calls its own, on by default, {@code --enforceEncodability} and {@code
 * --enforceImmutability}: options of the same name with another default would make every pipeline
 * fail to parse its options when both runners are on the classpath).
 *
 * @param encodability every element a ParDo outputs must encode and decode with its output coder
 * @param immutability a DoFn must not change its input elements, nor an element after outputting it
 */
public record ElementChecks(boolean encodability, boolean immutability) {
  public boolean any() {
    return encodability || immutability;
  }
}
