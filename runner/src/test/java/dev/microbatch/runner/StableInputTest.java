package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.microbatch.runner.crash.StableInputPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @RequiresStableInput} under an in-process retry: Beam's random key, then a side effect
 * named by the key that fails the first time ({@link StableInputPipeline#build}), leave exactly one
 * side effect, the retry seeing the same key. The SIGKILL case is {@code crash.StableInputCrashTest}'s.
 */
class StableInputTest {
  @TempDir Path temp;

  @Test
  void aRetriedBatchHandsTheDoFnTheSameInputAgain() throws IOException {
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs("--runner=MicroBatchRunner", "--maxBatchAttempts=3").create());
    StableInputPipeline.build(
        pipeline,
        temp,
        unused -> {
          throw new IllegalStateException("fails once, after its side effect");
        });

    assertThat(pipeline.run().waitUntilFinish(), is(PipelineResult.State.DONE));

    assertThat(sideEffects(temp), hasSize(1));
    assertThat(contents(sideEffects(temp)), contains("value"));
  }

  /** The side-effect files written under {@code dir}. */
  static List<Path> sideEffects(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("side-effect-")).sorted().toList();
    }
  }

  static List<String> contents(List<Path> files) throws IOException {
    List<String> all = new ArrayList<>();
    for (Path file : files) {
      all.add(Files.readString(file, StandardCharsets.UTF_8));
    }
    return all;
  }
}
