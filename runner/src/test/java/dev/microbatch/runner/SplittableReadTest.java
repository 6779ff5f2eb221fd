package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Beam's splittable-DoFn read path ({@code --experiments=use_sdf_read}): {@code Read} expands into
 * a splittable DoFn over the source, which the runner runs as such instead of as a primitive read.
 */
class SplittableReadTest {

  /** Counts the elements it sees, those below 1000, and adds them up. */
  static final class Tally extends DoFn<Long, Void> {
    private final Counter count = Metrics.counter(SplittableReadTest.class, "count");
    private final Counter below1000 = Metrics.counter(SplittableReadTest.class, "below1000");
    private final Counter sum = Metrics.counter(SplittableReadTest.class, "sum");

    @ProcessElement
    public void process(@Element Long element) {
      count.inc();
      sum.inc(element);
      if (element < 1000) {
        below1000.inc();
      }
    }
  }

  @Test
  void aBoundedSourceIsReadThroughItsSplittableDoFn() {
    Pipeline pipeline = pipeline();
    pipeline.apply(Read.from(CountingSource.upTo(1000))).apply(ParDo.of(new Tally()));

    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(Duration.standardSeconds(60)), is(PipelineResult.State.DONE));

    assertThat(counter(result, "count"), is(1000L));
    assertThat(counter(result, "sum"), is(999L * 1000 / 2));
    // Only a splittable DoFn stage reports a backlog; every restriction it started has finished.
    List<Long> backlogs = CounterTotals.backlogs(result);
    assertThat(backlogs, is(not(empty())));
    assertThat(backlogs, everyItem(is(0L)));
  }

  @Test
  void anUnboundedSourceIsReadThroughItsSplittableDoFnExactlyOnce() throws Exception {
    // The source never ends: run() would wait for it, as DirectRunner's does.
    Pipeline pipeline = pipeline("--blockOnRun=false");
    pipeline.apply(Read.from(CountingSource.unbounded())).apply(ParDo.of(new Tally()));

    PipelineResult result = pipeline.run();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (counter(result, "below1000") < 1000 || counter(result, "count") < 5000) {
      if (System.nanoTime() > deadline || result.getState() != PipelineResult.State.RUNNING) {
        fail(
            counter(result, "below1000") + " of the first 1000 numbers read, state "
                + result.getState());
      }
      Thread.sleep(20);
    }
    assertThat(result.cancel(), is(PipelineResult.State.CANCELLED));

    // Every split resumed from its checkpoint: each of the first 1000 numbers came exactly once.
    assertThat(counter(result, "below1000"), is(1000L));
    assertThat(counter(result, "count"), greaterThanOrEqualTo(5000L));
    assertThat(CounterTotals.backlogs(result), is(not(empty())));
  }

  private static Pipeline pipeline(String... moreArgs) {
    String[] args = {
      "--runner=MicroBatchRunner",
      "--parallelism=3",
      "--batchIntervalMillis=20",
      "--experiments=use_sdf_read"
    };
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs(SplittableBacklogTest.concat(args, moreArgs)).create());
  }

  private static long counter(PipelineResult result, String name) {
    return CounterTotals.committed(result, SplittableReadTest.class, name);
  }
}
