package dev.microbatch.translation;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.util.construction.PTransformTranslation;

/**
 * Which translator translates which transform, in topological order, decided before anything is
 * translated: a composite with a translator that accepts it is translated whole, others are
 * entered; every primitive needs a translator that accepts it. Every transform the runner cannot
 * execute is listed, not just the first.
 */
public final class TranslationPlan {

  /** One step of the plan. */
  public record Step(AppliedPTransform<?, ?, ?> transform, TransformTranslator translator) {}

  private final List<Step> steps;
  private final List<String> problems;

  private TranslationPlan(List<Step> steps, List<String> problems) {
    this.steps = List.copyOf(steps);
    this.problems = List.copyOf(problems);
  }

  public static TranslationPlan of(Pipeline pipeline, TranslatorRegistry registry) {
    List<Step> steps = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.isRootNode()) {
              return CompositeBehavior.ENTER_TRANSFORM;
            }
            AppliedPTransform<?, ?, ?> applied = node.toAppliedPTransform(pipeline);
            TransformTranslator translator =
                registry.composite(PTransformTranslation.urnForTransformOrNull(node.getTransform()));
            if (translator != null && translator.unsupportedReason(applied) == null) {
              steps.add(new Step(applied, translator));
              return CompositeBehavior.DO_NOT_ENTER_TRANSFORM;
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            AppliedPTransform<?, ?, ?> applied = node.toAppliedPTransform(pipeline);
            String urn = PTransformTranslation.urnForTransformOrNull(node.getTransform());
            TransformTranslator translator = registry.primitive(urn);
            if (translator == null) {
              problems.add(
                  node.getFullName()
                      + ": "
                      + node.getTransform().getClass().getName()
                      + (urn == null ? "" : " (" + urn + ")")
                      + " is not a transform this version of MicroBatchRunner can execute");
              return;
            }
            String reason = translator.unsupportedReason(applied);
            if (reason != null) {
              problems.add(node.getFullName() + ": " + reason);
              return;
            }
            steps.add(new Step(applied, translator));
          }
        });
    return new TranslationPlan(steps, problems);
  }

  /** Fails, naming every unsupported transform, if the pipeline cannot run. */
  public TranslationPlan checkSupported() {
    if (!problems.isEmpty()) {
      throw new UnsupportedPipelineException(problems);
    }
    return this;
  }

  public List<String> problems() {
    return problems;
  }

  /** Translates every step, then makes sure every PCollection is computed. */
  public void translateInto(TranslationContext context) {
    checkSupported();
    for (Step step : steps) {
      step.translator().translate(step.transform(), context);
    }
    context.drainUnconsumed();
  }
}
