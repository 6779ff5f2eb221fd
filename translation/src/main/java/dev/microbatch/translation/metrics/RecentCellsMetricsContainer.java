package dev.microbatch.translation.metrics;

import org.apache.beam.model.pipeline.v1.MetricsApi.MonitoringInfo;
import org.apache.beam.sdk.metrics.BoundedTrie;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Histogram;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.StringSet;
import org.apache.beam.sdk.util.HistogramData;

/**
 * A step's metrics container for one bundle, which remembers the cells of the counters,
 * distributions and gauges used last (see {@link RecentCells}). Counters and distributions gather
 * their updates in plain fields ({@link PendingCounter}, {@link PendingDistribution}) until
 * {@link #flush}, which the bundle's runner calls whenever it leaves the container's scope, so
 * every value lands in the task's container before the task ends. Confined to the task's thread,
 * as the container it wraps is.
 */
public final class RecentCellsMetricsContainer implements MetricsContainer {
  private final MetricsContainer container;
  private final RecentCells<PendingCounter> counters;
  private final RecentCells<PendingDistribution> distributions;
  private final RecentCells<Gauge> gauges;

  public RecentCellsMetricsContainer(MetricsContainer container) {
    this.container = container;
    this.counters =
        new RecentCells<>(
            name -> new PendingCounter(container.getCounter(name)), PendingCounter::flush);
    this.distributions =
        new RecentCells<>(
            name -> new PendingDistribution(container.getDistribution(name)),
            PendingDistribution::flush);
    // A gauge keeps the time of its last value, so each set goes straight to the cell.
    this.gauges = new RecentCells<>(container::getGauge, gauge -> {});
  }

  /** Hands every pending counter and distribution update to the task's container. */
  public void flush() {
    counters.flushAll();
    distributions.flushAll();
  }

  @Override
  public Counter getCounter(MetricName name) {
    return counters.get(name);
  }

  @Override
  public Distribution getDistribution(MetricName name) {
    return distributions.get(name);
  }

  @Override
  public Gauge getGauge(MetricName name) {
    return gauges.get(name);
  }

  @Override
  public Counter getPerWorkerCounter(MetricName name) {
    return container.getPerWorkerCounter(name);
  }

  @Override
  public StringSet getStringSet(MetricName name) {
    return container.getStringSet(name);
  }

  @Override
  public BoundedTrie getBoundedTrie(MetricName name) {
    return container.getBoundedTrie(name);
  }

  @Override
  public Histogram getHistogram(MetricName name, HistogramData.BucketType bucketType) {
    return container.getHistogram(name, bucketType);
  }

  @Override
  public Iterable<MonitoringInfo> getMonitoringInfos() {
    flush();
    return container.getMonitoringInfos();
  }
}
