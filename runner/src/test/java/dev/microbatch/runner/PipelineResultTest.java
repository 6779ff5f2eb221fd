package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** Waiting on a running pipeline: an interrupted waiter returns at once instead of spinning. */
class PipelineResultTest {

  @Test
  void anInterruptedWaitReturnsRunningAndKeepsTheInterrupt() throws Exception {
    MicroBatchPipelineOptions options =
        PipelineOptionsFactory.create().as(MicroBatchPipelineOptions.class);
    options.setRunner(MicroBatchRunner.class);
    options.setBatchIntervalMillis(50);
    options.setBlockOnRun(false);
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply(GenerateSequence.from(0).withRate(100, org.joda.time.Duration.standardSeconds(1)));
    PipelineResult result = pipeline.run();
    try {
      Thread.currentThread().interrupt();
      long start = System.nanoTime();

      PipelineResult.State state = result.waitUntilFinish();

      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(state, is(PipelineResult.State.RUNNING));
      assertThat(Thread.interrupted(), is(true));
      assertThat(millis, lessThan(2_000L));
    } finally {
      Thread.interrupted();
      assertThat(result.cancel(), is(PipelineResult.State.CANCELLED));
    }
  }
}
