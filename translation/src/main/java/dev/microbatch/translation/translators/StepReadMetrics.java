package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.io.beam.ReadMetrics;
import dev.microbatch.translation.metrics.BeamMetrics;
import org.apache.beam.sdk.metrics.MetricsContainer;

/** A read's metrics, reported under the full name of the read's transform. */
record StepReadMetrics(BeamMetrics metrics, String step) implements ReadMetrics {
  @Override
  public MetricsContainer container(TaskContext task) {
    return metrics.container(task, step);
  }

  @Override
  public void afterCommit(Runnable work) {
    metrics.runAfterCommit(step, work);
  }
}
