package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.fail;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An unbounded source read batch by batch: the source is split over the partitions, each split's
 * watermark follows its own elements, and a window fires only once every split has passed it. One
 * split's event time runs twice as fast as the others': if the source's watermark were not the
 * minimum over splits, windows would fire before the slow splits' elements arrived, which would
 * then be dropped as late, and windows would count fewer elements than they hold.
 */
class UnboundedReadTest {

  /** Element n's event time: multiples of 3 (one split of three) run twice as fast. */
  static Instant timestampOf(long n) {
    return new Instant(n % 3 == 0 ? 2 * n : n);
  }

  /** Counts windows whose count is exactly how many elements fall in them, and the others. */
  static final class CheckWindowSize extends DoFn<Long, Void> {
    private final Counter complete = Metrics.counter(UnboundedReadTest.class, "complete");
    private final Counter incomplete = Metrics.counter(UnboundedReadTest.class, "incomplete");

    @ProcessElement
    public void process(@Element Long count, BoundedWindow window) {
      IntervalWindow interval = (IntervalWindow) window;
      long expected = 0;
      for (long n = 0; n < interval.end().getMillis(); n++) {
        Instant time = timestampOf(n);
        if (!time.isBefore(interval.start()) && time.isBefore(interval.end())) {
          expected++;
        }
      }
      (count == expected ? complete : incomplete).inc();
    }
  }

  @Test
  void windowsOverAnUnboundedSourceFireCompleteAndTheRunIsCancelled() throws Exception {
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(
                    "--runner=MicroBatchRunner",
                    "--parallelism=3",
                    "--batchIntervalMillis=20",
                    "--maxRecordsPerBatch=500",
                    // The source never ends: run() would wait for it, as DirectRunner's does.
                    "--blockOnRun=false")
                .create());
    pipeline
        .apply(Read.from(CountingSource.unboundedWithTimestampFn(UnboundedReadTest::timestampOf)))
        .apply(Window.into(FixedWindows.of(Duration.millis(100))))
        .apply(Combine.globally(Count.<Long>combineFn()).withoutDefaults())
        .apply(ParDo.of(new CheckWindowSize()));

    PipelineResult result = pipeline.run();
    assertThat(result.getState(), is(PipelineResult.State.RUNNING));
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (counter(result, "complete") < 20) {
      if (System.nanoTime() > deadline
          || result.getState() != PipelineResult.State.RUNNING
          || counter(result, "incomplete") > 0) {
        fail(
            "Only " + counter(result, "complete") + " complete windows, "
                + counter(result, "incomplete") + " incomplete, state " + result.getState());
      }
      Thread.sleep(20);
    }
    assertThat(result.cancel(), is(PipelineResult.State.CANCELLED));

    assertThat(counter(result, "complete"), greaterThanOrEqualTo(20L));
    assertThat(counter(result, "incomplete"), is(0L));
  }

  private static long counter(PipelineResult result, String name) {
    return CounterTotals.attempted(result, UnboundedReadTest.class, name);
  }
}
