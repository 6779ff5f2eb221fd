package dev.microbatch.runner;

import dev.microbatch.translation.metrics.BeamMetrics;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.metrics.MetricsOptions;
import org.apache.beam.sdk.metrics.MetricsSink;
import org.apache.beam.sdk.util.InstanceBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a pipeline's metrics to the configured {@link MetricsSink} every {@code
 * --metricsPushPeriod} seconds while it runs, and once more when it stops, so the sink ends with
 * the final values. Nothing runs for the default no-op sink.
 */
final class MetricsPushing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsPushing.class);

  private final MetricsSink sink;
  private final BeamMetrics metrics;
  private final ScheduledExecutorService scheduler;

  private MetricsPushing(MetricsSink sink, BeamMetrics metrics, long periodSeconds, String name) {
    this.sink = sink;
    this.metrics = metrics;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, name + "-metrics-pusher");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleAtFixedRate(this::push, periodSeconds, periodSeconds, TimeUnit.SECONDS);
  }

  /** Starts pushing if a sink is configured; null otherwise. */
  static MetricsPushing startIfConfigured(MetricsOptions options, BeamMetrics metrics, String name) {
    if (options.getMetricsSink() == null || MetricsOptions.NoOpMetricsSink.class.equals(options.getMetricsSink())) {
      return null;
    }
    long period = options.getMetricsPushPeriod() == null ? 5 : options.getMetricsPushPeriod();
    if (period < 1) {
      throw new IllegalArgumentException(
          "--metricsPushPeriod must be at least 1 second, got " + period);
    }
    MetricsSink sink =
        InstanceBuilder.ofType(MetricsSink.class)
            .fromClass(options.getMetricsSink())
            .withArg(MetricsOptions.class, options)
            .build();
    return new MetricsPushing(sink, metrics, period, name);
  }

  // A periodic push that fails is retried by the next one.
  private void push() {
    try {
      sink.writeMetrics(metrics.results().allMetrics());
    } catch (Exception e) {
      LOG.warn("Pushing metrics to {} failed; the next push retries", sink, e);
    }
  }

  /**
   * Stops the periodic pushes and pushes the final values.
   *
   * @throws Exception if the final push fails: the sink would silently keep stale values
   */
  @Override
  public void close() throws Exception {
    scheduler.shutdownNow();
    sink.writeMetrics(metrics.results().allMetrics());
  }
}
