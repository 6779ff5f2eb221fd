package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code Read.from(unbounded).withMaxNumRecords(n)} and {@code .withMaxReadTime(t)}: a bounded
 * read of an unbounded source, which the runner reads with all splits side by side. It must
 * deliver exactly the bounded records, deduplicate a source that asks for it, and end.
 */
class BoundedReadOfUnboundedSourceTest {

  /** Counts the elements it sees and adds them up. */
  static final class Tally extends DoFn<Long, Void> {
    private final Counter count = Metrics.counter(BoundedReadOfUnboundedSourceTest.class, "count");
    private final Counter sum = Metrics.counter(BoundedReadOfUnboundedSourceTest.class, "sum");

    @ProcessElement
    public void process(@Element Long element) {
      count.inc();
      sum.inc(element);
    }
  }

  private static Pipeline pipeline() {
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs(
                "--runner=MicroBatchRunner", "--parallelism=3", "--batchIntervalMillis=20")
            .create());
  }

  private static PipelineResult runToTheEnd(Pipeline pipeline, PCollection<Long> read) {
    read.apply(ParDo.of(new Tally()));
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(Duration.standardSeconds(60)), is(PipelineResult.State.DONE));
    return result;
  }

  @Test
  void aRecordBoundReadsExactlyThatManyRecordsOverAllSplits() {
    Pipeline pipeline = pipeline();
    PipelineResult result =
        runToTheEnd(
            pipeline, pipeline.apply(Read.from(CountingSource.unbounded()).withMaxNumRecords(1000)));

    // The splits of the counting source interleave 0, 1, 2, ...: their even shares are 0..999.
    assertThat(counter(result, "count"), is(1000L));
    assertThat(counter(result, "sum"), is(999L * 1000 / 2));
  }

  @Test
  void theSourceIsSplitAsBeamSplitsItForABoundedRead() {
    // Beam asks for one split per 10,000 records: 100 records come from one split, whatever the
    // parallelism (each record is the number of splits), and 25,000 from three.
    Pipeline few = pipeline();
    PipelineResult oneSplit =
        runToTheEnd(few, few.apply(Read.from(new SplitCountingSource()).withMaxNumRecords(100)));
    assertThat(counter(oneSplit, "count"), is(100L));
    assertThat(counter(oneSplit, "sum"), is(100L));

    Pipeline many = pipeline();
    PipelineResult threeSplits =
        runToTheEnd(
            many, many.apply(Read.from(new SplitCountingSource()).withMaxNumRecords(25_000)));
    assertThat(counter(threeSplits, "count"), is(25_000L));
    assertThat(counter(threeSplits, "sum"), is(3 * 25_000L));
  }

  @Test
  void aSourceThatRedeliversIsDeduplicatedByRecordId() {
    Pipeline pipeline = pipeline();
    PipelineResult result =
        runToTheEnd(
            pipeline, pipeline.apply(Read.from(new DuplicatingSource(50)).withMaxNumRecords(1000)));

    assertThat(counter(result, "count"), is(50L));
    assertThat(counter(result, "sum"), is(49L * 50 / 2));
  }

  @Test
  void aTimeBoundEndsTheReadOfASourceThatNeverEnds() {
    Pipeline pipeline = pipeline();
    PipelineResult result =
        runToTheEnd(
            pipeline,
            pipeline.apply(
                GenerateSequence.from(0)
                    .withRate(100, Duration.standardSeconds(1))
                    .withMaxReadTime(Duration.standardSeconds(1))));

    assertThat(counter(result, "count"), greaterThan(0L));
  }

  private static long counter(PipelineResult result, String name) {
    return CounterTotals.attempted(result, BoundedReadOfUnboundedSourceTest.class, name);
  }
}
