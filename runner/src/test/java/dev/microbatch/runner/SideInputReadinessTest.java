package dev.microbatch.runner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Never;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * When a streaming ParDo may read a side-input window that has no pane yet: only once the view's
 * trigger can no longer fire a pane of it (as DirectRunner decides), not as soon as the view's
 * watermark passes the window's end, since late data within the allowed lateness may still come.
 */
public class SideInputReadinessTest {
  private static final Duration WINDOW = Duration.standardSeconds(10);
  private static final Duration LATENESS = Duration.standardSeconds(20);

  @Rule
  public final transient TestPipeline pipeline =
      TestPipeline.fromOptions(
          PipelineOptionsFactory.fromArgs("--runner=MicroBatchRunner", "--parallelism=2").create());

  /** Outputs the side input's values in the element's window, sorted, as one string. */
  private static final class ReadSide extends DoFn<String, String> {
    private final PCollectionView<List<String>> side;

    ReadSide(PCollectionView<List<String>> side) {
      this.side = side;
    }

    @ProcessElement
    public void process(ProcessContext context) {
      List<String> values = new ArrayList<>(context.sideInput(side));
      Collections.sort(values);
      context.output(context.element() + " saw " + values);
    }
  }

  /**
   * The main element and the first signal arrive in window [0s, 10s); the watermark then passes
   * the window's end, and a second, late signal of the window arrives within the lateness.
   */
  private PCollection<String> mainReadingSignalsTriggeredBy(Trigger trigger) {
    PCollection<String> events =
        pipeline.apply(
            TestStream.create(StringUtf8Coder.of())
                .advanceWatermarkTo(new Instant(0))
                .addElements(
                    TimestampedValue.of("main", new Instant(5_000)),
                    TimestampedValue.of("signal-a", new Instant(1_000)))
                .advanceWatermarkTo(new Instant(15_000))
                .addElements(TimestampedValue.of("signal-b", new Instant(5_000)))
                .advanceWatermarkToInfinity());
    PCollectionView<List<String>> signals =
        events
            .apply("Signals", Filter.by((String e) -> e.startsWith("signal")))
            .apply(
                "Window signals",
                Window.<String>into(FixedWindows.of(WINDOW))
                    .triggering(trigger)
                    .withAllowedLateness(LATENESS)
                    .discardingFiredPanes())
            .apply(View.asList());
    return events
        .apply("Main", Filter.by((String e) -> e.equals("main")))
        .apply("Window main", Window.into(FixedWindows.of(WINDOW)))
        .apply(ParDo.of(new ReadSide(signals)).withSideInputs(signals));
  }

  @Test
  public void aViewThatFiresOnlyAtExpirationIsReadWithItsLateData() {
    // Like Wait.on's view: one pane, when the window expires, holding the late signal too.
    PAssert.that(mainReadingSignalsTriggeredBy(Never.ever()))
        .containsInAnyOrder("main saw [signal-a, signal-b]");
    pipeline.run();
  }

  @Test
  public void aViewWithTheDefaultTriggerIsReadFromItsOnTimePane() {
    // The on-time pane fires at the window's end; the late pane comes after the main element ran.
    PAssert.that(mainReadingSignalsTriggeredBy(DefaultTrigger.of()))
        .containsInAnyOrder("main saw [signal-a]");
    pipeline.run();
  }
}
