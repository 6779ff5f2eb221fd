package dev.microbatch.runner;

import dev.microbatch.engine.EngineConfig;
import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.time.SystemClock;
import dev.microbatch.translation.ExecutionMode;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.TranslationPlan;
import dev.microbatch.translation.TranslatorRegistry;
import dev.microbatch.translation.metrics.BeamMetrics;
import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.construction.SplittableParDo;

/**
 * A Beam runner that executes pipelines on the MicroBatch engine: the pipeline is checked, then
 * translated into a graph of DStreams, then run as micro-batches on a pool of worker threads in
 * this JVM. Select it with {@code --runner=MicroBatchRunner}.
 */
public final class MicroBatchRunner extends PipelineRunner<MicroBatchPipelineResult> {
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
    // Beam's primitive reads, until the splittable-DoFn read path runs on the engine.
    SplittableParDo.convertReadBasedSplittableDoFnsToPrimitiveReads(pipeline);
    ExecutionMode mode = executionMode(pipeline);
    TranslatorRegistry registry =
        mode.streaming() ? TranslatorRegistry.forStreaming() : TranslatorRegistry.forBatch();
    TranslationPlan plan = TranslationPlan.of(pipeline, registry).checkSupported();

    StreamingContext engine = new StreamingContext("microbatch-" + options.getJobName(), engineConfig());
    BeamMetrics metrics = new BeamMetrics();
    plan.translateInto(new TranslationContext(engine, options, metrics, mode));

    MetricsEnvironment.setMetricsSupported(true);
    MicroBatchPipelineResult result = new MicroBatchPipelineResult(engine, metrics);
    engine.start();
    if (options.isBlockOnRun()) {
      result.waitUntilFinish();
    }
    return result;
  }

  /** Streaming when asked for with --streaming, or when the pipeline has unbounded input. */
  private ExecutionMode executionMode(Pipeline pipeline) {
    boolean streaming = options.isStreaming() || UnboundedCollections.any(pipeline);
    return streaming
        ? new ExecutionMode(true, options.getMaxRecordsPerBatch())
        : ExecutionMode.batch();
  }

  private EngineConfig engineConfig() {
    return new EngineConfig(
        Duration.ofMillis(options.getBatchIntervalMillis()),
        options.getParallelism(),
        new SystemClock(),
        true);
  }

  @Override
  public String toString() {
    return "MicroBatchRunner";
  }
}
