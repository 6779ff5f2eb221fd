package dev.microbatch.translation;

import static dev.microbatch.engine.dstream.ScriptedInputDStream.step;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.config.EngineConfig;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.ScriptedInputDStream;
import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.BatchListener;
import dev.microbatch.engine.time.ManualClock;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.functions.StreamingGroupAlsoByWindow;
import dev.microbatch.translation.metrics.BeamMetrics;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import dev.microbatch.translation.state.KeyedPartitionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The streaming GroupByKey stage on the engine with a manual clock and scripted watermarks:
 * triggers fire at batch boundaries, early, on time and late panes carry the right contents and
 * timing, expired data is dropped, and processing-time triggers follow the batches' time.
 */
class StreamingTriggersTest {
  private static final FixedWindows WINDOWS = FixedWindows.of(org.joda.time.Duration.millis(100));
  private final ManualClock clock = new ManualClock(0);
  private final Map<Long, List<String>> panesByBatch = new TreeMap<>();
  private StreamingContext context;

  @AfterEach
  void stop() {
    if (context != null && !context.state().isTerminal()) {
      context.stop(false);
    }
  }

  private static WindowedValue<KV<String, Integer>> element(int value, long timestamp) {
    return WindowedValues.of(
        KV.of("k", value),
        new Instant(timestamp),
        WINDOWS.assignWindow(new Instant(timestamp)),
        PaneInfo.NO_FIRING);
  }

  /** A context with one partition on the manual clock. */
  private StreamingContext newContext(boolean stopWhenExhausted) {
    context =
        new StreamingContext(
            "triggers", new EngineConfig(Duration.ofSeconds(1), 1, clock, stopWhenExhausted));
    return context;
  }

  /** A scripted input: one step per batch, then +infinity. */
  private DStream<WindowedValue<KV<String, Integer>>> scripted(
      List<ScriptedInputDStream.Step<WindowedValue<KV<String, Integer>>>> script) {
    List<List<ScriptedInputDStream.Step<WindowedValue<KV<String, Integer>>>>> batches =
        new ArrayList<>();
    script.forEach(step -> batches.add(List.of(step)));
    return new ScriptedInputDStream<>(newContext(true), batches);
  }

  /** Groups {@code input} with {@code strategy} and records each batch's panes. */
  private void group(
      DStream<WindowedValue<KV<String, Integer>>> input,
      WindowingStrategy<?, IntervalWindow> strategy) {
    DStream<WindowedValue<KV<String, Iterable<Integer>>>> grouped =
        input
            .groupBy(
                BeamKeys.<String, Integer>byKvKey(StringUtf8Coder.of()),
                BeamElementCodec.windowed(
                    KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()),
                    IntervalWindow.getCoder(),
                    "input"))
            .stateful(
                "group",
                new StreamingGroupAlsoByWindow<String, Integer, Iterable<Integer>, IntervalWindow>(
                    "group",
                    strategy,
                    SystemReduceFn.buffering(VarIntCoder.of()),
                    PipelineOptionsFactory.create(),
                    new BeamMetrics()),
                () -> KeyedPartitionState.forGrouping(StringUtf8Coder.of(), strategy.getWindowFn().windowCoder(), "test"));
    grouped.foreachPartition(
        (partition, task) -> {
          List<String> panes = new ArrayList<>();
          partition.forEachRemaining(
              pane -> {
                List<Integer> values = new ArrayList<>();
                pane.getValue().getValue().forEach(values::add);
                values.sort(null);
                panes.add(values + " " + pane.getPaneInfo().getTiming());
              });
          synchronized (panesByBatch) {
            panesByBatch.put(task.batch().batchId(), panes);
          }
        });
  }

  private List<String> panes(long batchId) {
    synchronized (panesByBatch) {
      return panesByBatch.getOrDefault(batchId, List.of());
    }
  }

  @Test
  void earlyOnTimeAndLateFiringsThenExpiredDataIsDropped() {
    WindowingStrategy<?, IntervalWindow> strategy =
        WindowingStrategy.of(WINDOWS)
            .withTrigger(
                AfterWatermark.pastEndOfWindow()
                    .withEarlyFirings(AfterPane.elementCountAtLeast(2))
                    .withLateFirings(AfterPane.elementCountAtLeast(1)))
            .withAllowedLateness(org.joda.time.Duration.millis(100))
            .withMode(WindowingStrategy.AccumulationMode.ACCUMULATING_FIRED_PANES);
    group(
        scripted(
            List.of(
                step(0, List.of(element(1, 10), element(2, 20))),
                step(50, List.of(element(3, 30))),
                step(100, List.of()),
                step(150, List.of(element(4, 40))),
                step(250, List.of()),
                step(300, List.of(element(5, 50))))),
        strategy);
    context.start();
    context.awaitTermination();

    assertThat(panes(1), contains("[1, 2] EARLY"));
    assertThat(panes(2), empty());
    // The watermark passes the window's end (its last millisecond, 99) once it is at 100.
    assertThat(panes(3), contains("[1, 2, 3] ON_TIME"));
    // Element 4 arrives while the watermark (100) is past the window but within its lateness.
    assertThat(panes(4), contains("[1, 2, 3, 4] LATE"));
    assertThat(panes(5), empty());
    // Past the allowed lateness (window end + 100 ms) the window is gone: element 5 is dropped.
    assertThat(panes(6), empty());
  }

  @Test
  void processingTimeTriggersFireAtTheFirstBatchPastTheirDelay() throws Exception {
    WindowingStrategy<?, IntervalWindow> strategy =
        WindowingStrategy.of(WINDOWS)
            .withTrigger(
                Repeatedly.forever(
                    AfterProcessingTime.pastFirstElementInPane()
                        .plusDelayOf(org.joda.time.Duration.standardSeconds(2))))
            .withMode(WindowingStrategy.AccumulationMode.DISCARDING_FIRED_PANES);
    // A queue input has no event time (its watermark stays at -infinity) and reads one queued
    // batch per tick of the clock.
    group(
        newContext(false).queueStream(List.of(List.of(element(1, 10)), List.of(element(2, 20))), false),
        strategy);
    Semaphore completed = new Semaphore(0);
    context.addBatchListener(
        new BatchListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            completed.release();
          }
        });
    context.start();
    // Batch n runs at n seconds: batch 1 reads element 1, batch 2 element 2.
    for (int batch = 1; batch <= 5; batch++) {
      clock.advance(1000);
      if (!completed.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new AssertionError("batch " + batch + " did not complete");
      }
    }

    // Element 1 arrived at 1 s: its pane is due 2 s later, at the first batch past 3 s.
    assertThat(panes(1), empty());
    assertThat(panes(2), empty());
    assertThat(panes(3), empty());
    assertThat(panes(4), contains("[1, 2] EARLY"));
    assertThat(panes(5), empty());
  }
}
