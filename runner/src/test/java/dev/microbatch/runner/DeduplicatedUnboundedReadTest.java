package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded read of a source that asks to be deduplicated delivers each record id once, also
 * when the two deliveries of a record fall into different batches with the whole state thrown
 * away and restored from the checkpoint between them: the ids seen are checkpointed state.
 */
class DeduplicatedUnboundedReadTest {
  private static final long NUMBERS = 400;

  /** Counts the elements it sees and adds them up. */
  static final class Tally extends DoFn<Long, Void> {
    private final Counter count = Metrics.counter(DeduplicatedUnboundedReadTest.class, "count");
    private final Counter sum = Metrics.counter(DeduplicatedUnboundedReadTest.class, "sum");

    @ProcessElement
    public void process(@Element Long element) {
      count.inc();
      sum.inc(element);
    }
  }

  @Test
  void eachRecordIdIsDeliveredOnce() {
    assertEachNumberOnce(readAll("--parallelism=3"));
  }

  @Test
  void theIdsSeenSurviveARestoreFromTheCheckpointAfterEveryBatch(@TempDir Path checkpoints) {
    assertEachNumberOnce(
        readAll(
            "--parallelism=2",
            "--checkpointDir=" + checkpoints.toUri(),
            "--restoreFromCheckpointEveryBatch=true"));
  }

  /** Reads the whole source, 7 deliveries a batch, so that many pairs straddle two batches. */
  private static PipelineResult readAll(String... extraArgs) {
    String[] args = new String[extraArgs.length + 3];
    args[0] = "--runner=MicroBatchRunner";
    args[1] = "--batchIntervalMillis=1";
    args[2] = "--maxRecordsPerBatch=7";
    System.arraycopy(extraArgs, 0, args, 3, extraArgs.length);
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    pipeline.apply(Read.from(new DuplicatingSource(NUMBERS))).apply(ParDo.of(new Tally()));
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(Duration.standardSeconds(120)), is(PipelineResult.State.DONE));
    return result;
  }

  private static void assertEachNumberOnce(PipelineResult result) {
    assertThat(
        CounterTotals.committed(result, DeduplicatedUnboundedReadTest.class, "count"), is(NUMBERS));
    assertThat(
        CounterTotals.committed(result, DeduplicatedUnboundedReadTest.class, "sum"),
        is(NUMBERS * (NUMBERS - 1) / 2));
  }
}
