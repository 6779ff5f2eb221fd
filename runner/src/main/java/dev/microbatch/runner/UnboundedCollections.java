package dev.microbatch.runner;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;

/** Finds whether a pipeline has any unbounded PCollection, which makes it a streaming pipeline. */
final class UnboundedCollections {
  private UnboundedCollections() {}

  static boolean any(Pipeline pipeline) {
    boolean[] found = {false};
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection<?> collection
                && collection.isBounded() == PCollection.IsBounded.UNBOUNDED) {
              found[0] = true;
            }
          }
        });
    return found[0];
  }
}
