package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.microbatch.translation.metrics.BeamMetrics;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PartitioningWindowFn;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A windowed side input of a long-running stream keeps only the windows its readers may still
 * need: over a thousand one-second windows, the view holds a handful at a time (the most it held
 * is the maximum of the distribution {@link BeamMetrics#VIEW_WINDOWS}), and every main-input
 * element still reads its own window's value, also when the main input lags the side input and
 * looks back to windows the side input has long passed.
 */
class SideInputExpiryTest {
  private static final int WINDOWS = 1000;
  private static final Duration SECOND = Duration.standardSeconds(1);

  /** Number i at second i, with the watermark moved past each second's window after it. */
  private static TestStream<Long> numbersOneASecond() {
    TestStream.Builder<Long> events = TestStream.create(VarLongCoder.of());
    for (long i = 0; i < WINDOWS; i++) {
      events =
          events
              .addElements(TimestampedValue.of(i, new Instant(i * 1000)))
              .advanceWatermarkTo(new Instant((i + 1) * 1000));
    }
    return events.advanceWatermarkToInfinity();
  }

  /** Checks that a number's side input, the only number of its second, is the number itself. */
  static final class ReadOwnSecond extends DoFn<Long, Void> {
    private final PCollectionView<Long> view;
    private final Counter matched = Metrics.counter(SideInputExpiryTest.class, "matched");
    private final Counter mismatched = Metrics.counter(SideInputExpiryTest.class, "mismatched");

    ReadOwnSecond(PCollectionView<Long> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(@Element Long number, ProcessContext context) {
      (number.equals(context.sideInput(view)) ? matched : mismatched).inc();
    }
  }

  /**
   * One-second windows whose side-input mapping sends a ten-second main window to its first
   * second: nine seconds of lookback from the main window's end.
   */
  static final class SecondsReadFromTheStart extends PartitioningWindowFn<Object, IntervalWindow> {
    @Override
    public IntervalWindow assignWindow(Instant timestamp) {
      Instant start = new Instant(timestamp.getMillis() - Math.floorMod(timestamp.getMillis(), 1000L));
      return new IntervalWindow(start, SECOND);
    }

    @Override
    public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
      return new WindowMappingFn<IntervalWindow>(Duration.standardSeconds(9)) {
        @Override
        public IntervalWindow getSideInputWindow(BoundedWindow mainWindow) {
          return assignWindow(((IntervalWindow) mainWindow).start());
        }
      };
    }

    @Override
    public boolean isCompatible(WindowFn<?, ?> other) {
      return other instanceof SecondsReadFromTheStart;
    }

    @Override
    public Coder<IntervalWindow> windowCoder() {
      return IntervalWindow.getCoder();
    }
  }

  /** Checks that a ten-second group's side input (its first second's number) is its smallest. */
  static final class ReadFirstSecond extends DoFn<KV<Integer, Iterable<Long>>, Void> {
    private final PCollectionView<Long> view;
    private final Counter matched = Metrics.counter(SideInputExpiryTest.class, "matched");
    private final Counter mismatched = Metrics.counter(SideInputExpiryTest.class, "mismatched");

    ReadFirstSecond(PCollectionView<Long> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Long>> group, ProcessContext context) {
      long smallest = Long.MAX_VALUE;
      for (long number : group.getValue()) {
        smallest = Math.min(smallest, number);
      }
      (smallest == context.sideInput(view) ? matched : mismatched).inc();
    }
  }

  @Test
  void aViewReadInItsOwnWindowsHoldsAFewWindowsAtATime() {
    Pipeline pipeline = pipeline();
    PCollection<Long> numbers =
        pipeline.apply(numbersOneASecond()).apply(Window.into(FixedWindows.of(SECOND)));
    PCollectionView<Long> view = numbers.apply(View.asSingleton());
    numbers.apply(ParDo.of(new ReadOwnSecond(view)).withSideInputs(view));

    PipelineResult result = run(pipeline);

    assertThat(counter(result, "matched"), is((long) WINDOWS));
    assertThat(counter(result, "mismatched"), is(0L));
    assertThat(mostWindowsHeld(result), is(lessThanOrEqualTo(3L)));
  }

  @Test
  void aViewReadByALaggingMainInputKeepsTheWindowsItLooksBackTo() {
    Pipeline pipeline = pipeline();
    PCollection<Long> numbers = pipeline.apply(numbersOneASecond());
    PCollectionView<Long> view =
        numbers.apply(Window.into(new SecondsReadFromTheStart())).apply(View.asSingleton());
    // A ten-second group arrives as its window closes, ten side windows after the one it reads.
    numbers
        .apply(Window.into(FixedWindows.of(Duration.standardSeconds(10))))
        .apply(WithKeys.<Integer, Long>of(0).withKeyType(TypeDescriptors.integers()))
        .apply(GroupByKey.create())
        .apply(ParDo.of(new ReadFirstSecond(view)).withSideInputs(view));

    PipelineResult result = run(pipeline);

    assertThat(counter(result, "matched"), is((long) WINDOWS / 10));
    assertThat(counter(result, "mismatched"), is(0L));
    // The windows of the group still open and of the one firing: about ten, never all.
    long held = mostWindowsHeld(result);
    assertThat(held, is(greaterThan(5L)));
    assertThat(held, is(lessThanOrEqualTo(12L)));
  }

  private static Pipeline pipeline() {
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs("--runner=MicroBatchRunner", "--parallelism=2").create());
  }

  private static PipelineResult run(Pipeline pipeline) {
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(), is(PipelineResult.State.DONE));
    return result;
  }

  private static long counter(PipelineResult result, String name) {
    return CounterTotals.committed(result, SideInputExpiryTest.class, name);
  }

  /** The most windows any view held at once, over the whole run. */
  private static long mostWindowsHeld(PipelineResult result) {
    long most = 0;
    for (MetricResult<DistributionResult> held :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(
                            BeamMetrics.VIEW_WINDOWS.getNamespace(),
                            BeamMetrics.VIEW_WINDOWS.getName()))
                    .build())
            .getDistributions()) {
      most = Math.max(most, held.getCommitted().getMax());
    }
    return most;
  }
}
