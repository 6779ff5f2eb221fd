package dev.microbatch.translation.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.metrics.MetricName;
import org.junit.jupiter.api.Test;

/**
 * Counters and distributions reached through the cache of recent cells still count in the task's
 * container, whether a DoFn keeps one name or builds a new name on every call, and with more
 * names in use than the cache holds.
 */
class RecentCellsMetricsContainerTest {
  @Test
  void everyUpdateLandsInTheContainer() {
    MetricsContainerImpl container = new MetricsContainerImpl("step");
    RecentCellsMetricsContainer recent = new RecentCellsMetricsContainer(container);
    MetricName kept = MetricName.named("ns", "kept");
    for (int i = 0; i < 100; i++) {
      recent.getCounter(kept).inc();
      // A new but equal name on every call, as Metrics.counter(...) inside processElement makes.
      recent.getCounter(MetricName.named("ns", "rebuilt")).inc(2);
      // More names than the cache's slots, so cells are evicted and looked up again.
      recent.getCounter(MetricName.named("ns", "many-" + (i % 20))).inc();
      recent.getDistribution(kept).update(i);
    }

    assertThat(container.getCounter(kept).getCumulative(), is(100L));
    assertThat(container.getCounter(MetricName.named("ns", "rebuilt")).getCumulative(), is(200L));
    for (int n = 0; n < 20; n++) {
      assertThat(container.getCounter(MetricName.named("ns", "many-" + n)).getCumulative(), is(5L));
    }
    assertThat(container.getDistribution(kept).getCumulative().sum(), is(4950L));
  }
}
