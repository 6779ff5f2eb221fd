package dev.microbatch.runner;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Options of {@link MicroBatchRunner}. */
public interface MicroBatchPipelineOptions extends PipelineOptions, StreamingOptions {

  @Description(
      "Processing time between two micro-batches of an idle unbounded stream, in milliseconds. "
          + "Finite input never waits for it: while work is ready, batches run back to back.")
  @Default.Long(200)
  long getBatchIntervalMillis();

  void setBatchIntervalMillis(long value);

  @Description("Partitions of every stream and worker threads. Default: available processors.")
  @Default.InstanceFactory(AvailableProcessors.class)
  int getParallelism();

  void setParallelism(int value);

  @Description("Upper bound of records read per source split in one micro-batch (unbounded sources).")
  @Default.Long(100_000)
  long getMaxRecordsPerBatch();

  void setMaxRecordsPerBatch(long value);

  @Description(
      "Directory (any Hadoop FileSystem URI) for checkpoints of state and source offsets. "
          + "Not used yet: checkpointing comes with a later version.")
  @Nullable
  String getCheckpointDir();

  void setCheckpointDir(@Nullable String value);

  @Description(
      "Whether run() waits until the pipeline has finished (and throws if it failed), as on "
          + "DirectRunner: a pipeline ends once all its input has ended and every watermark is at "
          + "+infinity, so one over a source that never ends needs --blockOnRun=false.")
  @Default.Boolean(true)
  boolean isBlockOnRun();

  void setBlockOnRun(boolean value);

  @Description(
      "Check that every element a ParDo outputs encodes and decodes with its PCollection's coder "
          + "(as Beam's DirectRunner does by default). Costs an encode and a decode per element; "
          + "elements crossing a shuffle are always encoded.")
  @Default.Boolean(false)
  boolean isCheckEncodability();

  void setCheckEncodability(boolean value);

  @Description(
      "Check that no DoFn changes its input elements, or an element after outputting it (as "
          + "Beam's DirectRunner does by default). Costs two encodings per element and output.")
  @Default.Boolean(false)
  boolean isCheckImmutability();

  void setCheckImmutability(boolean value);

  /** The number of available processors. */
  final class AvailableProcessors implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return Runtime.getRuntime().availableProcessors();
    }
  }
}
