package dev.microbatch.runner;

import dev.microbatch.engine.checkpoint.CheckpointConfig;
import dev.microbatch.engine.checkpoint.Failpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The engine's checkpoint configuration from the runner's options; null when checkpoints are off. */
final class CheckpointOptions {
  private static final String TEMPORARY_PREFIX = "microbatch-restore-test";

  private CheckpointOptions() {}

  /** Deletes a temporary directory the test mode made, once the run has ended; else nothing. */
  static AutoCloseable cleanupOf(MicroBatchPipelineOptions options, CheckpointConfig config) {
    if (config == null || options.getCheckpointDir() != null) {
      return () -> {};
    }
    Path dir = Path.of(java.net.URI.create(config.location()));
    return () -> {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    };
  }

  /** The configuration; in the test mode without a directory, a new temporary one. */
  static CheckpointConfig configOf(MicroBatchPipelineOptions options) {
    String location = options.getCheckpointDir();
    if (location == null && options.isRestoreFromCheckpointEveryBatch()) {
      // The test mode needs somewhere to write; each run its own directory.
      try {
        location = Files.createTempDirectory(TEMPORARY_PREFIX).toUri().toString();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a temporary checkpoint directory", e);
      }
    }
    if (location == null) {
      return null;
    }
    return new CheckpointConfig(
        location,
        options.getCheckpointIntervalMillis(),
        options.getCheckpointCompactAfterChanges(),
        options.getCheckpointLeaseTimeoutMillis(),
        options.isAllowNonRestoredState(),
        options.isRestoreFromCheckpointEveryBatch(),
        Failpoint.parse(options.getCheckpointFailpoint(), System.out));
  }
}
