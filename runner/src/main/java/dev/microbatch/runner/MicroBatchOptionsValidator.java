package dev.microbatch.runner;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsValidator;

/** Checks options before anything runs and names every invalid one, with what to do. */
final class MicroBatchOptionsValidator {
  private MicroBatchOptionsValidator() {}

  static MicroBatchPipelineOptions validate(MicroBatchPipelineOptions options) {
    PipelineOptionsValidator.validate(MicroBatchPipelineOptions.class, options);
    List<String> problems = new ArrayList<>();
    if (options.getBatchIntervalMillis() <= 0) {
      problems.add(
          "--batchIntervalMillis must be positive, got " + options.getBatchIntervalMillis());
    }
    if (options.getParallelism() < 1) {
      problems.add("--parallelism must be at least 1, got " + options.getParallelism());
    }
    if (options.getMaxRecordsPerBatch() < 1) {
      problems.add(
          "--maxRecordsPerBatch must be at least 1, got " + options.getMaxRecordsPerBatch());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid MicroBatchRunner options: " + String.join("; ", problems));
    }
    return options;
  }
}
