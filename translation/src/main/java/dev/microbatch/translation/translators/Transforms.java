package dev.microbatch.translation.translators;

import java.util.Map;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.util.construction.TransformInputs;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.Iterables;

/** Small accessors for the inputs and outputs of applied transforms. */
final class Transforms {
  private Transforms() {}

  /** The one main input (side inputs excluded). */
  @SuppressWarnings("unchecked")
  static <T> PCollection<T> mainInput(AppliedPTransform<?, ?, ?> transform) {
    return (PCollection<T>) Iterables.getOnlyElement(TransformInputs.nonAdditionalInputs(transform));
  }

  /** The one output. */
  @SuppressWarnings("unchecked")
  static <T> PCollection<T> output(AppliedPTransform<?, ?, ?> transform) {
    Map<TupleTag<?>, PCollection<?>> outputs = transform.getOutputs();
    return (PCollection<T>) Iterables.getOnlyElement(outputs.values());
  }

  static boolean isPCollection(PValue value) {
    return value instanceof PCollection;
  }
}
