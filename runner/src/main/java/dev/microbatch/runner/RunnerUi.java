package dev.microbatch.runner;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.time.Clock;
import dev.microbatch.ui.JobInfo;
import dev.microbatch.ui.JobStatus;
import dev.microbatch.ui.StatusStore;
import dev.microbatch.ui.UiServer;
import dev.microbatch.ui.UserMetric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Starts a pipeline's UI (see {@link MicroBatchPipelineOptions#getUi}) and stops it with the engine. */
final class RunnerUi {
  /** The system property that turns the UI's default off (tests set it). */
  static final String DEFAULT_PROPERTY = "microbatch.ui.default";

  private RunnerUi() {}

  static boolean enabled(MicroBatchPipelineOptions options, boolean streaming) {
    if (options.getUi() != null) {
      return options.getUi();
    }
    return streaming && !"false".equals(System.getProperty(DEFAULT_PROPERTY));
  }

  /**
   * Starts the UI of {@code engine} (before the engine starts, so it hears of every batch); it
   * closes when the engine stops. Returns where it listens.
   */
  static URI start(
      StreamingContext engine, MicroBatchPipelineOptions options, boolean streaming,
      Supplier<List<UserMetric>> userMetrics) {
    Clock clock = engine.config().clock();
    JobInfo job =
        new JobInfo(
            "microbatch-" + options.getJobName(),
            options.getJobName(),
            streaming ? "streaming" : "batch",
            options.getBatchIntervalMillis(),
            options.getParallelism(),
            clock.millis(),
            optionsOf(options));
    StatusStore store = new StatusStore(job, options.getUiRetainedBatches());
    JobStatus status = new JobStatus(store, clock, "microbatch-" + options.getJobName() + "-ui-collector");
    UiServer server;
    try {
      server =
          UiServer.start(
              options.getUiHost(), options.getUiPort(), store, clock, userMetrics,
              "microbatch-" + options.getJobName() + "-ui");
    } catch (IOException e) {
      status.close();
      throw new UncheckedIOException(e.getMessage(), e);
    }
    engine.addBatchListener(status);
    engine.addCloseHook(server);
    engine.addCloseHook(status);
    return server.address();
  }

  /** The options as Beam prints them ("name: value" lines after "Current Settings:"). */
  private static Map<String, String> optionsOf(MicroBatchPipelineOptions options) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String line : options.toString().lines().toList()) {
      int colon = line.indexOf(": ");
      if (line.startsWith("  ") && colon > 0) {
        byName.put(line.substring(0, colon).trim(), line.substring(colon + 2));
      }
    }
    return byName;
  }
}
