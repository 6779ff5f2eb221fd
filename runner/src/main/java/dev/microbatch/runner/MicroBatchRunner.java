package dev.microbatch.runner;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.config.EngineConfig;
import dev.microbatch.engine.time.Clock;
import dev.microbatch.engine.time.ManualClock;
import dev.microbatch.engine.time.SystemClock;
import dev.microbatch.translation.ElementChecks;
import dev.microbatch.translation.ExecutionMode;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.TranslationPlan;
import dev.microbatch.translation.TranslatorRegistry;
import dev.microbatch.translation.metrics.BeamMetrics;
import dev.microbatch.translation.reads.BoundedReadOverrideFactory;
import dev.microbatch.translation.reads.DedupingUnboundedReadOverrideFactory;
import java.time.Duration;
import java.util.List;
import org.apache.beam.runners.core.SplittableParDoViaKeyedWorkItems;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.io.BoundedReadFromUnboundedSource;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.metrics.MetricsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.PTransformOverride;
import org.apache.beam.sdk.util.construction.PTransformMatchers;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Beam runner that executes pipelines on the MicroBatch engine: the pipeline is checked, then
 * translated into a graph of DStreams, then run as micro-batches on a pool of worker threads in
 * this JVM. Select it with {@code --runner=MicroBatchRunner}.
 */
public final class MicroBatchRunner extends PipelineRunner<MicroBatchPipelineResult> {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchRunner.class);
  private final MicroBatchPipelineOptions options;

  private MicroBatchRunner(MicroBatchPipelineOptions options) {
    this.options = options;
  }

  /** Called by Beam for {@code --runner=MicroBatchRunner}; fails fast on invalid options. */
  public static MicroBatchRunner fromOptions(PipelineOptions options) {
    return new MicroBatchRunner(
        MicroBatchOptionsValidator.validate(options.as(MicroBatchPipelineOptions.class)));
  }

  @Override
  public MicroBatchPipelineResult run(Pipeline pipeline) {
    // Reads run as primitive reads (one open reader per split across batches) unless the
    // pipeline asks for Beam's splittable-DoFn read path (--experiments=use_sdf_read), which then
    // runs like any other splittable DoFn: expanded into keyed work items processed by ProcessFn.
    // A bounded read of an unbounded source reads all its splits side by side, batch by batch.
    pipeline.replaceAll(
        List.of(
            PTransformOverride.of(
                PTransformMatchers.classEqualTo(BoundedReadFromUnboundedSource.class),
                new BoundedReadOverrideFactory<>())));
    SplittableParDo.convertReadBasedSplittableDoFnsToPrimitiveReadsIfNecessary(pipeline);
    // An unbounded source that may deliver a record twice is read with record ids and
    // deduplicated on them (Beam's splittable-DoFn read expands to the same).
    pipeline.replaceAll(
        List.of(
            PTransformOverride.of(
                DedupingUnboundedReadOverrideFactory.matcher(),
                new DedupingUnboundedReadOverrideFactory<>()),
            PTransformOverride.of(
                PTransformMatchers.splittableParDo(), new SplittableParDo.OverrideFactory()),
            PTransformOverride.of(
                PTransformMatchers.splittableProcessKeyedBounded(),
                new SplittableParDoViaKeyedWorkItems.OverrideFactory()),
            PTransformOverride.of(
                PTransformMatchers.splittableProcessKeyedUnbounded(),
                new SplittableParDoViaKeyedWorkItems.OverrideFactory())));
    PipelineInspection inspection = PipelineInspection.of(pipeline);
    ExecutionMode mode = executionMode(inspection);
    TranslatorRegistry registry =
        mode.streaming() ? TranslatorRegistry.forStreaming() : TranslatorRegistry.forBatch();
    TranslationPlan plan = TranslationPlan.of(pipeline, registry).checkSupported();

    LOG.info(
        "Running {} on MicroBatchRunner: {}, parallelism {}, batch interval {} ms",
        options.getJobName(),
        mode.streaming() ? "streaming" : "batch",
        options.getParallelism(),
        options.getBatchIntervalMillis());
    LOG.debug("Options of {}: {}", options.getJobName(), options);
    StreamingContext engine = new StreamingContext("microbatch-" + options.getJobName(), engineConfig(inspection));
    BeamMetrics metrics = new BeamMetrics();
    engine.registerAccumulator(metrics.accumulator());
    plan.translateInto(new TranslationContext(engine, options, metrics, mode));

    MetricsEnvironment.setMetricsSupported(true);
    MetricsPushing pushing =
        MetricsPushing.startIfConfigured(
            options.as(MetricsOptions.class), metrics, "microbatch-" + options.getJobName());
    if (pushing != null) {
      // Close hooks run as the engine stops, before anyone waiting on the pipeline is released.
      engine.addCloseHook(pushing);
    }
    boolean checkpointing = engine.config().checkpoint() != null;
    // With checkpoints, cancelling finishes the running batch and writes a final checkpoint.
    MicroBatchPipelineResult result = new MicroBatchPipelineResult(engine, metrics, checkpointing);
    GracefulShutdown shutdown = checkpointing ? new GracefulShutdown(engine) : null;
    if (checkpointing) {
      engine.addCloseHook(CheckpointOptions.cleanupOf(options, engine.config().checkpoint()));
    }
    if (RunnerUi.enabled(options, mode.streaming())) {
      result.uiAt(RunnerUi.start(engine, options, mode.streaming(), () -> UserMetricsOfBeam.of(metrics)));
    }
    engine.start();
    if (shutdown != null) {
      shutdown.install();
    }
    // As on DirectRunner: block until the pipeline ends, whatever its input. An unbounded source
    // or splittable DoFn may end (its watermark reaches +infinity); one that never ends keeps
    // run() waiting, which --blockOnRun=false avoids.
    if (options.isBlockOnRun()) {
      result.waitUntilFinish();
    } else {
      // The pipeline runs on: its metrics are not final, so run() does not say they can be
      // checked now (as DirectRunner's run() does on return). TestPipeline takes the flag to mean
      // that and would count assertions that cannot have run yet. Workers report to their
      // containers whatever the flag says.
      MetricsEnvironment.setMetricsSupported(false);
    }
    return result;
  }

  /**
   * Streaming when asked for with --streaming, or when the pipeline has unbounded input, a
   * TestStream, or a splittable DoFn: their output may arrive over many batches even when it is
   * marked bounded (a splittable DoFn resumes its restrictions in later batches, after the
   * earlier ones committed), which only the streaming translation handles. Also when a
   * GroupByKey's trigger fires on processing time: grouping a bounded input all at once would
   * collapse processing time and lose the early panes the pipeline asks for. And when it reads an
   * unbounded source up to a bound, which takes batches until every split reaches its bound. And
   * when a DoFn requires stable input: it sees a batch's input only once a later batch runs after
   * that one became stable (committed, or checkpointed when checkpoints are on).
   */
  private ExecutionMode executionMode(PipelineInspection inspection) {
    boolean streaming =
        options.isStreaming()
            || inspection.hasUnboundedCollections()
            || inspection.hasTestStream()
            || inspection.hasSplittableDoFns()
            || inspection.hasProcessingTimeTriggers()
            || inspection.hasBoundedReadsOfUnboundedSources()
            || inspection.hasStableInputDoFns();
    ElementChecks checks =
        new ElementChecks(options.isCheckEncodability(), options.isCheckImmutability());
    return streaming
        ? new ExecutionMode(true, options.getMaxRecordsPerBatch(), checks)
        : ExecutionMode.batch(checks);
  }

  /**
   * A TestStream decides when processing time moves, so its pipeline runs on a manual clock that
   * starts at the current time; every other pipeline runs on the system clock.
   */
  private EngineConfig engineConfig(PipelineInspection inspection) {
    Clock system = new SystemClock();
    Clock clock = inspection.hasTestStream() ? new ManualClock(system.millis()) : system;
    return new EngineConfig(
            Duration.ofMillis(options.getBatchIntervalMillis()),
            options.getParallelism(),
            clock,
            true)
        .withMaxBatchAttempts(options.getMaxBatchAttempts())
        .withCheckpoint(CheckpointOptions.configOf(options));
  }

  @Override
  public String toString() {
    return "MicroBatchRunner";
  }
}
