package dev.microbatch.runner;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
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
      "Directory for checkpoints of state, timers, watermarks, source positions and metrics: a "
          + "local path or any Hadoop FileSystem URI (file://, hdfs://, s3a://). Turns "
          + "checkpointing on: a pipeline started again with the same directory resumes from its "
          + "newest valid checkpoint. One directory belongs to one running pipeline.")
  @Nullable
  String getCheckpointDir();

  void setCheckpointDir(@Nullable String value);

  @Description(
      "Least processing time between two checkpoints, in milliseconds; 0 (the default) "
          + "checkpoints after every committed batch, except while the previous checkpoint is "
          + "still being written: then the next one covers both (checkpoints never queue up and "
          + "never hold batches back). Source acknowledgements (Kafka offset commits, finalized "
          + "checkpoint marks) wait for the checkpoint that covers their batch.")
  @Default.Long(0)
  long getCheckpointIntervalMillis();

  void setCheckpointIntervalMillis(long value);

  @Description(
      "Start from the parts of a checkpoint that match this pipeline when the pipeline changed "
          + "(a stateful transform or input renamed, removed or added, or a coder changed), "
          + "dropping the state of the rest. Without it such a checkpoint fails the start, listing "
          + "every difference.")
  @Default.Boolean(false)
  boolean isAllowNonRestoredState();

  void setAllowNonRestoredState(boolean value);

  @Description(
      "How often a failing micro-batch is run before the pipeline fails with its first "
          + "exception; in between it is rolled back (state, and sources back to their committed "
          + "positions). Default: 3 with --checkpointDir, else 1.")
  @Default.InstanceFactory(DefaultBatchAttempts.class)
  int getMaxBatchAttempts();

  void setMaxBatchAttempts(int value);

  @Description(
      "A checkpoint writer that has not committed for this long, in milliseconds, may be taken "
          + "over by another run on the same directory (a writer on this host whose process is "
          + "gone is taken over at once).")
  @Default.Long(60_000)
  long getCheckpointLeaseTimeoutMillis();

  void setCheckpointLeaseTimeoutMillis(long value);

  @Description(
      "Each stage partition's saved state is rewritten whole at the latest after this many "
          + "incremental checkpoint files (which hold only the keys that changed); sooner once "
          + "those hold more keys than the whole state.")
  @Default.Integer(100)
  int getCheckpointCompactAfterChanges();

  void setCheckpointCompactAfterChanges(int value);

  @Description(
      "Test only: after every committed batch, throw the in-memory state away and rebuild it from "
          + "the checkpoint just written (in --checkpointDir, or a temporary directory).")
  @Hidden
  @Default.Boolean(false)
  boolean isRestoreFromCheckpointEveryBatch();

  void setRestoreFromCheckpointEveryBatch(boolean value);

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

  @Description(
      "Test only: '<point>[:<hit>]' stops the process at a point of the checkpoint protocol "
          + "(mid-batch, after-commit, before-manifest, during-cleanup, after-manifest, sink-before-commit, sink-after-commit), announcing 'FAILPOINT <point> <hit>' "
          + "on standard output, so a crash test can SIGKILL it exactly there.")
  @Hidden
  @Nullable
  String getCheckpointFailpoint();

  void setCheckpointFailpoint(@Nullable String value);

  @Description(
      "Serve the pipeline's status over HTTP while it runs: a JSON API under /api/v1/ (the paths and"
          + " fields of Spark's streaming REST API) and Prometheus metrics at /metrics. Unset: on"
          + " for streaming pipelines, off for batch ones and in tests (where the system property"
          + " microbatch.ui.default=false is set).")
  @Nullable
  Boolean getUi();

  void setUi(@Nullable Boolean value);

  @Description("Port of the UI; if it is taken, the next 15 are tried. 0: any free port.")
  @Default.Integer(4040)
  int getUiPort();

  void setUiPort(int value);

  @Description(
      "Address the UI listens on: the loopback address by default. Another one (0.0.0.0: every"
          + " interface) shows the pipeline's status to the network; the UI is read-only.")
  @Default.String("127.0.0.1")
  String getUiHost();

  void setUiHost(String value);

  @Description("Finished batches the UI keeps (older ones are dropped; totals count them all).")
  @Default.Integer(1000)
  int getUiRetainedBatches();

  void setUiRetainedBatches(int value);

  /** Retries of a failed batch when checkpointing is on; none otherwise (fail fast). */
  final class DefaultBatchAttempts implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return options.as(MicroBatchPipelineOptions.class).getCheckpointDir() == null ? 1 : 3;
    }
  }

  /** The number of available processors. */
  final class AvailableProcessors implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return Runtime.getRuntime().availableProcessors();
    }
  }
}
