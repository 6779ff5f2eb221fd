package dev.microbatch.io.beam;

import dev.microbatch.engine.dstream.TaskContext;
import org.apache.beam.sdk.metrics.MetricsContainer;

/**
 * Where a read reports its source's metrics, all under the read's step: what a task reads, and
 * what finalizing a committed batch's checkpoints reports (KafkaIO counts its offset commits then).
 */
public interface ReadMetrics {
  /** The container for what {@code task} reads; confined to the task's thread. */
  MetricsContainer container(TaskContext task);

  /** Runs {@code work} of a committed batch, outside its tasks, reporting to the read's step. */
  void afterCommit(Runnable work);
}
