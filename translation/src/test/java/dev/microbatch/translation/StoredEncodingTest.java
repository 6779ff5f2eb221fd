package dev.microbatch.translation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.config.EngineConfig;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.ScriptedInputDStream;
import dev.microbatch.engine.time.ManualClock;
import dev.microbatch.translation.metrics.BeamMetrics;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CrashingRunner;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.junit.jupiter.api.Test;

/**
 * Which PCollections' batches are kept encoded for their readers: a bounded pipeline's (its one
 * batch is the whole input, so objects would cost gigabytes), not a streaming one's (a batch is
 * small, and sharing its objects saves an encoding and a decoding per reader: half of streaming
 * Nexmark query 3's time).
 */
class StoredEncodingTest {
  private static final ElementChecks NO_CHECKS = new ElementChecks(false, false);

  @Test
  void aBoundedPipelinesCollectionIsStoredEncoded() {
    assertTrue(storedEncoded(ExecutionMode.batch(NO_CHECKS)));
  }

  @Test
  void aStreamingPipelinesCollectionKeepsItsObjects() {
    assertFalse(storedEncoded(new ExecutionMode(true, 1_000, NO_CHECKS)));
  }

  private static boolean storedEncoded(ExecutionMode mode) {
    StreamingContext engine =
        new StreamingContext(
            "stored-encoding", new EngineConfig(Duration.ofSeconds(1), 1, new ManualClock(0), true));
    // The pipeline is only built, never run: no runner is needed to run it.
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(CrashingRunner.class);
    PCollection<String> collection = Pipeline.create(options).apply(Create.of("a", "b"));
    DStream<WindowedValue<String>> stream = new ScriptedInputDStream<>(engine, List.of());
    new TranslationContext(engine, options, new BeamMetrics(), mode)
        .setStream(collection, stream);
    return stream.isStoredEncoded();
  }
}
