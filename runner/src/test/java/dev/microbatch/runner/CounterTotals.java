package dev.microbatch.runner;

import dev.microbatch.translation.metrics.BeamMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Counters as a test reads them off a result: totals over every step, and each step's backlog. */
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

  /** The committed backlog of each splittable DoFn step; none when no such step ran. */
  static List<Long> backlogs(PipelineResult result) {
    List<Long> backlogs = new ArrayList<>();
    for (MetricResult<Long> backlog : counters(result, SPLITTABLE_BACKLOG)) {
      backlogs.add(backlog.getCommitted());
    }
    return backlogs;
  }

  private static Iterable<MetricResult<Long>> counters(
      PipelineResult result, MetricNameFilter name) {
    return result
        .metrics()
        .queryMetrics(MetricsFilter.builder().addNameFilter(name).build())
        .getCounters();
  }

  private static long total(
      PipelineResult result, MetricNameFilter name, ToLongFunction<MetricResult<Long>> value) {
    long total = 0;
    for (MetricResult<Long> counter : counters(result, name)) {
      total += value.applyAsLong(counter);
    }
    return total;
  }
}
