package dev.microbatch.runner;

import dev.microbatch.translation.metrics.BeamMetrics;
import dev.microbatch.ui.UserMetric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The pipeline's Beam metrics (counters, distributions, gauges) as the UI shows them, by step. */
final class UserMetricsOfBeam {
  private UserMetricsOfBeam() {}

  static List<UserMetric> of(BeamMetrics metrics) {
    MetricQueryResults results = metrics.results().queryMetrics(MetricsFilter.builder().build());
    List<UserMetric> all = new ArrayList<>();
    for (MetricResult<Long> counter : results.getCounters()) {
      all.add(metric(counter, "counter", Map.of("value", counter.getCommitted()), Map.of("value", counter.getAttempted())));
    }
    for (MetricResult<DistributionResult> distribution : results.getDistributions()) {
      all.add(
          metric(distribution, "distribution", values(distribution.getCommitted()), values(distribution.getAttempted())));
    }
    for (MetricResult<GaugeResult> gauge : results.getGauges()) {
      all.add(
          metric(gauge, "gauge", Map.of("value", gauge.getCommitted().getValue()), Map.of("value", gauge.getAttempted().getValue())));
    }
    return all;
  }

  private static UserMetric metric(
      MetricResult<?> result, String kind, Map<String, Long> committed, Map<String, Long> attempted) {
    return new UserMetric(
        result.getKey().stepName(), result.getName().getNamespace(), result.getName().getName(), kind, committed,
        attempted);
  }

  private static Map<String, Long> values(DistributionResult distribution) {
    Map<String, Long> values = new LinkedHashMap<>();
    values.put("count", distribution.getCount());
    values.put("sum", distribution.getSum());
    values.put("min", distribution.getMin());
    values.put("max", distribution.getMax());
    return values;
  }
}
