package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.junit.jupiter.api.Test;

/**
 * A splittable DoFn stage reports its backlog: the sizes of the restrictions it has started and
 * not finished, summed over all work items and partitions, as of the last committed batch.
 */
class SplittableBacklogTest {
  /** Positions per element of the restrictions that never finish during the test. */
  private static final long MANY_POSITIONS = 1_000_000;

  private static final long FEW_POSITIONS = 1000;

  /** Claims a few positions of its element's range per call, then asks to be resumed. */
  abstract static class FewPositionsPerCall extends DoFn<String, Long> {
    private final Counter claimed = Metrics.counter(SplittableBacklogTest.class, "claimed");
    private final long positions;

    FewPositionsPerCall(long positions) {
      this.positions = positions;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction() {
      return new OffsetRange(0, positions);
    }

    @ProcessElement
    public ProcessContinuation process(
        RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<Long> out) {
      long position = tracker.currentRestriction().getFrom();
      for (int i = 0; i < 5; i++, position++) {
        if (!tracker.tryClaim(position)) {
          return ProcessContinuation.stop();
        }
        claimed.inc();
        out.output(position);
      }
      return ProcessContinuation.resume();
    }
  }

  /** Sized by its own {@code @GetSize}: twice the positions left. */
  @DoFn.UnboundedPerElement
  static final class SizedTwicePerPosition extends FewPositionsPerCall {
    SizedTwicePerPosition() {
      super(MANY_POSITIONS);
    }

    @GetSize
    public double size(@Restriction OffsetRange range) {
      return 2.0 * (range.getTo() - range.getFrom());
    }
  }

  /** Sized by its tracker's remaining work (no {@code @GetSize}). */
  @DoFn.BoundedPerElement
  static final class SizedByTracker extends FewPositionsPerCall {
    SizedByTracker() {
      super(FEW_POSITIONS);
    }
  }

  @Test
  void backlogIsTheSizeOfWhatIsLeftOfEveryStartedRestriction() throws Exception {
    // The restrictions never finish: run() would wait for them, as DirectRunner's does.
    Pipeline pipeline = pipeline("--blockOnRun=false");
    pipeline
        .apply(Create.of("a", "b", "c"))
        .apply(ParDo.of(new SizedTwicePerPosition()));

    PipelineResult result = pipeline.run();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (CounterTotals.committed(result, SplittableBacklogTest.class, "claimed") < 300) {
      if (System.nanoTime() > deadline || result.getState() != PipelineResult.State.RUNNING) {
        fail("The restrictions did not progress; state " + result.getState());
      }
      Thread.sleep(20);
    }
    assertThat(result.cancel(), is(PipelineResult.State.CANCELLED));

    long claimed = CounterTotals.committed(result, SplittableBacklogTest.class, "claimed");
    long backlog = CounterTotals.committed(result, CounterTotals.SPLITTABLE_BACKLOG);
    assertThat(backlog, greaterThan(0L));
    assertThat(backlog, is(2 * (3 * MANY_POSITIONS - claimed)));
  }

  @Test
  void finishedRestrictionsLeaveNoBacklog() {
    Pipeline pipeline = pipeline();
    pipeline.apply(Create.of("a", "b", "c")).apply(ParDo.of(new SizedByTracker()));

    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(), is(PipelineResult.State.DONE));

    assertThat(
        CounterTotals.committed(result, SplittableBacklogTest.class, "claimed"),
        is(3 * FEW_POSITIONS));
    assertThat(CounterTotals.committed(result, CounterTotals.SPLITTABLE_BACKLOG), is(0L));
  }

  private static Pipeline pipeline(String... moreArgs) {
    String[] args = {"--runner=MicroBatchRunner", "--parallelism=2", "--batchIntervalMillis=20"};
    return Pipeline.create(PipelineOptionsFactory.fromArgs(concat(args, moreArgs)).create());
  }

  static String[] concat(String[] first, String[] second) {
    String[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
