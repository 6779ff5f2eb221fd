package dev.microbatch.runner.crash;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * The pipeline {@link FinalizeAfterDurableCheckpointTest} runs in a child JVM: {@link
 * AnnouncingSource} read forever, every 100th number announced as {@code SEEN <n>} once
 * processed. Arguments: pipeline options.
 */
public final class FinalizationPipeline {
  private FinalizationPipeline() {}

  public static void main(String[] args) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    pipeline
        .apply("Numbers", Read.from(new AnnouncingSource()))
        .apply("Announce", ParDo.of(new AnnounceSome()));
    System.out.println("RUNNING");
    System.out.flush();
    pipeline.run().waitUntilFinish();
  }

  static final class AnnounceSome extends DoFn<Long, Void> {
    @ProcessElement
    public void process(@Element Long number) {
      if (number % 100 == 0) {
        System.out.println("SEEN " + number);
        System.out.flush();
      }
    }
  }
}
