package dev.microbatch.runner;

import java.util.List;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.apache.beam.sdk.runners.PipelineRunnerRegistrar;

/** Makes {@code --runner=MicroBatchRunner} and its options known to Beam (via service files). */
public final class MicroBatchRunnerRegistrar {
  private MicroBatchRunnerRegistrar() {}

  /** Registers the runner. */
  public static final class Runner implements PipelineRunnerRegistrar {
    @Override
    public Iterable<Class<? extends PipelineRunner<?>>> getPipelineRunners() {
      return List.of(MicroBatchRunner.class);
    }
  }

  /** Registers the options. */
  public static final class Options implements PipelineOptionsRegistrar {
    @Override
    public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
      return List.of(MicroBatchPipelineOptions.class);
    }
  }
}
