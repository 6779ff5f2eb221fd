package dev.microbatch.runner;

import dev.microbatch.translation.metrics.BeamMetrics;
import java.util.function.ToLongFunction;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Totals of a counter over every step that reports it, as a test reads them off a result. */
final class CounterTotals {
  /** The backlog a splittable DoFn step reports. */
  static final MetricNameFilter SPLITTABLE_BACKLOG =
      MetricNameFilter.named(
          BeamMetrics.SPLITTABLE_BACKLOG.getNamespace(), BeamMetrics.SPLITTABLE_BACKLOG.getName());

  private CounterTotals() {}

  static long attempted(PipelineResult result, Class<?> namespace, String name) {
    return total(result, MetricNameFilter.named(namespace, name), MetricResult::getAttempted);
  }

  static long committed(PipelineResult result, MetricNameFilter name) {
    return total(result, name, MetricResult::getCommitted);
  }

  static long committed(PipelineResult result, Class<?> namespace, String name) {
    return committed(result, MetricNameFilter.named(namespace, name));
  }

  private static long total(
      PipelineResult result, MetricNameFilter name, ToLongFunction<MetricResult<Long>> value) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(MetricsFilter.builder().addNameFilter(name).build())
            .getCounters()) {
      total += value.applyAsLong(counter);
    }
    return total;
  }
}
