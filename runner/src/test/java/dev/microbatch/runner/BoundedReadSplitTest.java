package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Test;

/**
 * A bounded read is spread over the partitions only when it is large enough for that to pay: a
 * small one is read whole by one partition, in order; a large one by every partition.
 */
class BoundedReadSplitTest {

  /** Counts the bundles that processed at least one element. */
  static final class CountBundlesWithElements extends DoFn<Long, Void> {
    private final Counter bundles = Metrics.counter(BoundedReadSplitTest.class, "bundles");
    private boolean counted;

    @StartBundle
    public void startBundle() {
      counted = false;
    }

    @ProcessElement
    public void process() {
      if (!counted) {
        bundles.inc();
        counted = true;
      }
    }
  }

  @Test
  void aSmallReadIsOneBundle() {
    // 1,000 numbers of 8 bytes: well below a split's minimum size.
    assertThat(bundlesWithElements(1_000), is(1L));
  }

  @Test
  void aLargeReadRunsInEveryPartition() {
    // 2,000,000 numbers of 8 bytes (16 MB): as the GroupByKey/Combine benchmark reads.
    assertThat(bundlesWithElements(2_000_000), is(3L));
  }

  private static long bundlesWithElements(long numbers) {
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs("--runner=MicroBatchRunner", "--parallelism=3")
                .create());
    pipeline
        .apply(GenerateSequence.from(0).to(numbers))
        .apply(ParDo.of(new CountBundlesWithElements()));
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(), is(PipelineResult.State.DONE));
    return CounterTotals.committed(result, BoundedReadSplitTest.class, "bundles");
  }
}
