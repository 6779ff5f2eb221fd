package dev.microbatch.ui;

import java.util.Map;

/**
 * What the UI shows of a pipeline that does not change while it runs.
 *
 * @param id the application id of the REST paths (Spark's {@code app-id})
 * @param name the pipeline's name
 * @param mode "streaming" or "batch"
 * @param batchIntervalMillis the batch interval
 * @param parallelism partitions per stage
 * @param startedAt when the pipeline started (processing time, milliseconds)
 * @param options the pipeline's options, by name, as text
 */
public record JobInfo(
    String id,
    String name,
    String mode,
    long batchIntervalMillis,
    int parallelism,
    long startedAt,
    Map<String, String> options) {

  public JobInfo {
    options = Map.copyOf(options);
  }
}
