package dev.microbatch.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * A stateful pipeline: a per-key running count in a ValueState with an event-time timer per key
 * (set at the end of the key's event time), over generated elements with {@code keys} distinct
 * keys; when a timer fires the key's count is written. The first output, when every key's state
 * and timer exist, measures the heap in use (after a GC) into a gauge, from which bytes per key
 * are estimated.
 */
final class StatefulCountPipeline {
  static final String HEAP_GAUGE = "heap-used-at-first-timer";
  static final String KEYS_EMITTED = "keys-emitted";

  private StatefulCountPipeline() {}

  static void build(Pipeline pipeline, long elements, long keys, Path outputDir) {
    pipeline
        .apply("Generate", GenerateSequence.from(0).to(elements))
        .apply("Timestamp", WithTimestamps.of((Long i) -> new Instant(i / keys)))
        .apply(
            "Key",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                .via((Long i) -> KV.of(i % keys, i)))
        .apply("CountPerKey", ParDo.of(new RunningCount()))
        .apply("MeasureHeap", ParDo.of(new MeasureHeapOnFirst()))
        .apply(
            "Format",
            MapElements.into(TypeDescriptors.strings())
                .via((KV<Long, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
        .apply("Write", TextIO.write().to(outputDir.resolve("part").toString()));
  }

  /**
   * The heap the run's keyed state took per key: heap in use at the first timer output (every
   * key's state and timer exist) minus heap in use before the run, over the keys. An estimate:
   * it includes whatever else the runner keeps at that moment.
   */
  static long bytesPerKey(SideBySide.Run run, long keys) {
    for (MetricResult<GaugeResult> gauge :
        run.result()
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(StatefulCountPipeline.class, HEAP_GAUGE))
                    .build())
            .getGauges()) {
      return (gauge.getAttempted().getValue() - run.heapBefore()) / keys;
    }
    return -1;
  }

  /** How many keys' counts the run had emitted when it finished or was stopped. */
  static long keysEmitted(SideBySide.Run run) {
    long emitted = 0;
    for (MetricResult<Long> counter :
        run.result()
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(StatefulCountPipeline.class, KEYS_EMITTED))
                    .build())
            .getCounters()) {
      emitted += counter.getAttempted();
    }
    return emitted;
  }

  /** Counts per key; one event-time timer per key emits the count once the input is complete. */
  static final class RunningCount extends DoFn<KV<Long, Long>, KV<Long, Long>> {
    private final Counter emitted = Metrics.counter(StatefulCountPipeline.class, KEYS_EMITTED);

    @StateId("count")
    private final StateSpec<ValueState<Long>> countSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("emit")
    private final TimerSpec emitSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(
        @Element KV<Long, Long> element,
        @StateId("count") ValueState<Long> count,
        @TimerId("emit") Timer emit) {
      Long current = count.read();
      if (current == null) {
        emit.set(BoundedWindow.TIMESTAMP_MAX_VALUE.minus(org.joda.time.Duration.standardDays(2)));
        current = 0L;
      }
      count.write(current + 1);
    }

    @OnTimer("emit")
    public void onEmit(
        @Key Long key, @StateId("count") ValueState<Long> count, OutputReceiver<KV<Long, Long>> out) {
      out.output(KV.of(key, count.read()));
      count.clear();
      emitted.inc();
    }
  }

  /** Records the heap in use, after a GC, when its first element arrives. */
  static final class MeasureHeapOnFirst extends DoFn<KV<Long, Long>, KV<Long, Long>> {
    private final Gauge heap = Metrics.gauge(StatefulCountPipeline.class, HEAP_GAUGE);
    private boolean measured;

    @ProcessElement
    public void process(@Element KV<Long, Long> element, OutputReceiver<KV<Long, Long>> out) {
      if (!measured) {
        measured = true;
        System.gc();
        heap.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
      out.output(element);
    }
  }
}
