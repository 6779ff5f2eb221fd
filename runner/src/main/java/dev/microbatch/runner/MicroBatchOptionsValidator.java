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
    if (options.getCheckpointIntervalMillis() < 0) {
      problems.add(
          "--checkpointIntervalMillis must not be negative, got "
              + options.getCheckpointIntervalMillis());
    }
    if (options.getMaxBatchAttempts() < 1) {
      problems.add("--maxBatchAttempts must be at least 1, got " + options.getMaxBatchAttempts());
    }
    if (options.getCheckpointLeaseTimeoutMillis() < 1) {
      problems.add(
          "--checkpointLeaseTimeoutMillis must be positive, got "
              + options.getCheckpointLeaseTimeoutMillis());
    }
    if (options.getCheckpointCompactAfterChanges() < 1) {
      problems.add(
          "--checkpointCompactAfterChanges must be at least 1, got "
              + options.getCheckpointCompactAfterChanges());
    }
    if (options.getCheckpointDir() != null && options.getCheckpointDir().isBlank()) {
      problems.add("--checkpointDir must not be blank; leave it unset to turn checkpoints off");
    }
    if (options.getUiPort() < 0 || options.getUiPort() > 65_535) {
      problems.add("--uiPort must be a port number (0 for any free port), got " + options.getUiPort());
    }
    if (options.getUiRetainedBatches() < 1) {
      problems.add("--uiRetainedBatches must be at least 1, got " + options.getUiRetainedBatches());
    }
    if (options.getUiHost() == null || options.getUiHost().isBlank()) {
      problems.add("--uiHost must name an address to listen on, such as 127.0.0.1");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid MicroBatchRunner options: " + String.join("; ", problems));
    }
    return options;
  }
}
