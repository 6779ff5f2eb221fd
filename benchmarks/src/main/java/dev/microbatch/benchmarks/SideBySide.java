package dev.microbatch.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs one pipeline on MicroBatchRunner and on Beam's DirectRunner (default settings) in the same
 * JVM, times each run end to end, checks that both wrote the same output lines, and prints the
 * times and the speed-up.
 */
final class SideBySide {
  private SideBySide() {}

  /** What one side-by-side run measured. */
  record Result(String name, long microBatchMillis, long directMillis, int outputLines) {
    double speedup() {
      return (double) directMillis / microBatchMillis;
    }

    @Override
    public String toString() {
      return String.format(
          "%-24s MicroBatchRunner %8d ms | DirectRunner %8d ms | speed-up %6.1fx | %d identical output lines",
          name, microBatchMillis, directMillis, speedup(), outputLines);
    }
  }

  /**
   * @param build adds the pipeline to a fresh {@link Pipeline}, writing text output under the
   *     given directory
   */
  static Result run(String name, Path workDir, BiConsumer<Pipeline, Path> build) throws IOException {
    Path microOut = workDir.resolve(name + "-microbatch");
    Path directOut = workDir.resolve(name + "-direct");
    long micro = timeRun("MicroBatchRunner", microOut, build);
    long direct = timeRun("DirectRunner", directOut, build);
    List<String> microLines = sortedLines(microOut);
    List<String> directLines = sortedLines(directOut);
    if (!microLines.equals(directLines)) {
      throw new IllegalStateException(
          name + ": the runners disagree: " + microLines.size() + " vs " + directLines.size()
              + " output lines (outputs kept in " + microOut + " and " + directOut + ")");
    }
    return new Result(name, micro, direct, microLines.size());
  }

  private static long timeRun(String runner, Path outputDir, BiConsumer<Pipeline, Path> build)
      throws IOException {
    deleteRecursively(outputDir);
    Files.createDirectories(outputDir);
    PipelineOptions options = PipelineOptionsFactory.fromArgs("--runner=" + runner).create();
    Pipeline pipeline = Pipeline.create(options);
    build.accept(pipeline, outputDir);
    long start = System.nanoTime();
    pipeline.run().waitUntilFinish();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static List<String> sortedLines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    lines.sort(null);
    return lines;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(path);
      }
    }
  }
}
