package dev.microbatch.translation.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.apache.beam.runners.core.metrics.DistributionData;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.metrics.MetricName;
import org.junit.jupiter.api.Test;

/**
 * Counters and distributions reached through the cache of recent cells count in the task's
 * container once flushed, whether a DoFn keeps one name or builds a new name on every call, and
 * with more names in use than the cache holds (a cell pushed out of the cache hands over what it
 * gathered).
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
      recent.getCounter(kept).dec(2);
      recent.getDistribution(MetricName.named("ns", "ranges")).update(10, 2, -i, i);
    }
    recent.flush();

    assertThat(container.getCounter(kept).getCumulative(), is(-100L));
    assertThat(container.getCounter(MetricName.named("ns", "rebuilt")).getCumulative(), is(200L));
    for (int n = 0; n < 20; n++) {
      assertThat(container.getCounter(MetricName.named("ns", "many-" + n)).getCumulative(), is(5L));
    }
    assertThat(container.getDistribution(kept).getCumulative().sum(), is(4950L));
    assertThat(container.getDistribution(kept).getCumulative().count(), is(100L));
    assertThat(container.getDistribution(kept).getCumulative().min(), is(0L));
    assertThat(container.getDistribution(kept).getCumulative().max(), is(99L));
    DistributionData ranges =
        container.getDistribution(MetricName.named("ns", "ranges")).getCumulative();
    assertThat(ranges.sum(), is(1000L));
    assertThat(ranges.count(), is(200L));
    assertThat(ranges.min(), is(-99L));
    assertThat(ranges.max(), is(99L));
  }

  @Test
  void flushingTwiceCountsEachUpdateOnce() {
    MetricsContainerImpl container = new MetricsContainerImpl("step");
    RecentCellsMetricsContainer recent = new RecentCellsMetricsContainer(container);
    MetricName name = MetricName.named("ns", "n");
    recent.getCounter(name).inc(3);
    recent.getDistribution(name).update(7);
    recent.flush();
    recent.flush();
    recent.getCounter(name).inc();
    recent.getMonitoringInfos();

    assertThat(container.getCounter(name).getCumulative(), is(4L));
    assertThat(container.getDistribution(name).getCumulative().count(), is(1L));
    assertThat(container.getDistribution(name).getCumulative().max(), is(7L));
  }
}
