package dev.microbatch.ui;

import java.util.Map;

/**
 * One metric of the pipeline's own code (Beam's counters, distributions and gauges), as the runner
 * hands it to the UI: the UI knows nothing of Beam.
 *
 * @param step the step (transform) that reported it
 * @param namespace its namespace
 * @param name its name
 * @param kind "counter", "distribution" or "gauge"
 * @param committed its values as of the last committed batch, by name ("value" for a counter or a
 *     gauge; "count", "sum", "min", "max" for a distribution)
 * @param attempted the same with the attempts of batches that failed or are still running
 */
public record UserMetric(
    String step,
    String namespace,
    String name,
    String kind,
    Map<String, Long> committed,
    Map<String, Long> attempted) {}
