package dev.microbatch.runner;

import dev.microbatch.translation.reads.ReadUnboundedWithIds;
import dev.microbatch.translation.translators.StableInputPolicy;
import java.util.List;
import org.apache.beam.runners.core.SplittableParDoViaKeyedWorkItems;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterSynchronizedProcessingTime;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;

/** What the runner needs to know about a pipeline before choosing how to run it. */
record PipelineInspection(
    boolean hasUnboundedCollections,
    boolean hasTestStream,
    boolean hasSplittableDoFns,
    boolean hasProcessingTimeTriggers,
    boolean hasBoundedReadsOfUnboundedSources,
    boolean hasStableInputDoFns) {

  static PipelineInspection of(Pipeline pipeline) {
    boolean[] unbounded = {false};
    boolean[] testStream = {false};
    boolean[] splittable = {false};
    boolean[] processingTimeTriggers = {false};
    boolean[] boundedUnboundedReads = {false};
    boolean[] stableInput = {false};
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof TestStream) {
              testStream[0] = true;
            }
            if (node.getTransform() instanceof SplittableParDoViaKeyedWorkItems.ProcessElements) {
              splittable[0] = true;
            }
            if (node.getTransform() instanceof GroupByKey<?, ?>
                && hasProcessingTime(groupedCollection(node).getWindowingStrategy().getTrigger())) {
              processingTimeTriggers[0] = true;
            }
            if (node.getTransform() instanceof ParDo.MultiOutput<?, ?> parDo
                && StableInputPolicy.annotated(parDo.getFn())) {
              stableInput[0] = true;
            }
            if (node.getTransform() instanceof ReadUnboundedWithIds<?> read && read.isBounded()) {
              boundedUnboundedReads[0] = true;
            }
          }

          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection<?> collection
                && collection.isBounded() == PCollection.IsBounded.UNBOUNDED) {
              unbounded[0] = true;
            }
          }
        });
    return new PipelineInspection(
        unbounded[0],
        testStream[0],
        splittable[0],
        processingTimeTriggers[0],
        boundedUnboundedReads[0],
        stableInput[0]);
  }

  private static PCollection<?> groupedCollection(TransformHierarchy.Node groupByKey) {
    return (PCollection<?>) groupByKey.getInputs().values().iterator().next();
  }

  /** Whether {@code trigger} or any trigger inside it fires on processing time. */
  private static boolean hasProcessingTime(Trigger trigger) {
    if (trigger instanceof AfterProcessingTime || trigger instanceof AfterSynchronizedProcessingTime) {
      return true;
    }
    List<Trigger> subTriggers = trigger.subTriggers();
    return subTriggers != null && subTriggers.stream().anyMatch(PipelineInspection::hasProcessingTime);
  }
}
