package dev.microbatch.translation;

/**
 * How a pipeline is executed.
 *
 * @param streaming whether the pipeline runs as a stream: inputs are read over many batches and
 *     grouping is kept in state across batches (otherwise every input is read whole by one batch)
 * @param maxRecordsPerBatch the most records one source partition reads in one batch when streaming
 */
public record ExecutionMode(boolean streaming, long maxRecordsPerBatch) {
  public ExecutionMode {
    if (maxRecordsPerBatch < 1) {
      throw new IllegalArgumentException(
          "maxRecordsPerBatch must be at least 1, got " + maxRecordsPerBatch);
    }
  }

  public static ExecutionMode batch() {
    return new ExecutionMode(false, Long.MAX_VALUE);
  }
}
