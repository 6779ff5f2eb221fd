package dev.microbatch.translation;

/**
 * How a pipeline is executed.
 *
 * @param streaming whether the pipeline runs as a stream: inputs are read over many batches and
 *     grouping is kept in state across batches (otherwise every input is read whole by one batch)
 * @param maxRecordsPerBatch the most records one source partition reads in one batch when streaming
 * @param checks the checks of user code that run on every element
 */
public record ExecutionMode(boolean streaming, long maxRecordsPerBatch, ElementChecks checks) {
  public ExecutionMode {
    if (maxRecordsPerBatch < 1) {
      throw new IllegalArgumentException(
          "maxRecordsPerBatch must be at least 1, got " + maxRecordsPerBatch);
    }
  }

  public static ExecutionMode batch(ElementChecks checks) {
    return new ExecutionMode(false, Long.MAX_VALUE, checks);
  }
}
