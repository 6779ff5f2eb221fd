package dev.microbatch.runner.crash;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.RequiresStableInputIT;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Beam's stable-input pipeline (RequiresStableInputIT's shape): one value, Beam's random key
 * ({@code PairWithRandomKeyFn}), then a {@code @RequiresStableInput} DoFn that writes a file named by
 * the key and, the first time only, calls back ({@link SideEffectThenFailOnce}). Here the callback announces {@code SIDE EFFECT WRITTEN} and parks, so the
 * parent test can SIGKILL the process right after the side effect. Arguments: the side effects'
 * directory, the checkpoint directory.
 */
public final class StableInputPipeline {
  private StableInputPipeline() {}

  public static void main(String[] args) {
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(
                    "--runner=MicroBatchRunner", "--batchIntervalMillis=50", "--checkpointDir=" + args[1])
                .create());
    build(
        pipeline,
        Path.of(args[0]),
        unused -> {
          System.out.println("SIDE EFFECT WRITTEN");
          System.out.flush();
          while (true) {
            LockSupport.park();
          }
        });
    pipeline.run().waitUntilFinish();
    System.out.println("DONE");
  }

  /** The stable-input pipeline, its side effects written to {@code directory}. */
  public static void build(Pipeline pipeline, Path directory, SerializableFunction<Void, Void> firstTime) {
    pipeline
        .apply(Create.of("value"))
        .apply(MapElements.via(new RequiresStableInputIT.PairWithRandomKeyFn()))
        .apply(ParDo.of(new SideEffectThenFailOnce(directory, "side-effect-", firstTime)));
  }
}
