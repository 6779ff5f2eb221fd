package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * A splittable DoFn that asks to resume after a delay (as Watch does between polls) is resumed no
 * earlier than that, also once its input is complete, as on DirectRunner; not in the very next
 * batch.
 */
public class SplittableResumeDelayTest {
  private static final long DELAY_MILLIS = 300;
  private static final int CALLS = 4;

  @Rule
  public final transient TestPipeline pipeline =
      TestPipeline.fromOptions(
          PipelineOptionsFactory.fromArgs("--runner=MicroBatchRunner", "--parallelism=2").create());

  /** Claims one position per call, outputs the wall-clock time of the call, and asks to wait. */
  static final class OnePositionPerCall extends DoFn<String, Long> {
    @ProcessElement
    public ProcessContinuation process(
        RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<Long> out) {
      long position = tracker.currentRestriction().getFrom();
      if (!tracker.tryClaim(position)) {
        return ProcessContinuation.stop();
      }
      out.output(System.currentTimeMillis());
      return ProcessContinuation.resume().withResumeDelay(Duration.millis(DELAY_MILLIS));
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element String element) {
      return new OffsetRange(0, CALLS);
    }
  }

  @Test
  public void aResidualResumesOnlyAfterTheDelayItAskedFor() {
    PCollection<Long> callTimes =
        pipeline.apply(Create.of("element")).apply(ParDo.of(new OnePositionPerCall()));

    PAssert.that(callTimes)
        .satisfies(
            times -> {
              List<Long> sorted = new ArrayList<>();
              times.forEach(sorted::add);
              sorted.sort(null);
              assertThat(sorted, hasSize(CALLS));
              for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i) - sorted.get(i - 1), greaterThanOrEqualTo(DELAY_MILLIS));
              }
              return null;
            });
    pipeline.run();
  }
}
