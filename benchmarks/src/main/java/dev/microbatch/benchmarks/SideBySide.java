package dev.microbatch.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.lang.management.ManagementFactory;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs one pipeline on MicroBatchRunner and on Beam's DirectRunner (default settings) in the same
 * JVM, times each run end to end, checks that both wrote the same output lines, and prints the
 * times and the speed-up.
 */
final class SideBySide {
  private SideBySide() {}

  /** What one side-by-side run measured; {@code notes} reports anything else a benchmark measured. */
  record Result(String name, long microBatchMillis, long directMillis, int outputLines, String notes) {
    double speedup() {
      return (double) directMillis / microBatchMillis;
    }

    @Override
    public String toString() {
      return String.format(
          "%-24s MicroBatchRunner %8d ms | DirectRunner %8d ms | speed-up %6.1fx | %d identical output lines%s",
          name, microBatchMillis, directMillis, speedup(), outputLines, notes);
    }
  }

  /** One timed run: its time, heap in use just before it (after a GC), and its result. */
  record Run(long millis, long heapBefore, PipelineResult result) {}

  /**
   * @param build adds the pipeline to a fresh {@link Pipeline}, writing text output under the
   *     given directory
   */
  static Result run(String name, Path workDir, BiConsumer<Pipeline, Path> build) throws IOException {
    return run(name, workDir, build, (micro, direct) -> "");
  }

  /** Like {@link #run(String, Path, BiConsumer)}, with {@code notes} reporting more of both runs. */
  static Result run(
      String name, Path workDir, BiConsumer<Pipeline, Path> build, BiFunction<Run, Run, String> notes)
      throws IOException {
    Path microOut = workDir.resolve(name + "-microbatch");
    Path directOut = workDir.resolve(name + "-direct");
    Run micro = timeRun("MicroBatchRunner", microOut, build);
    Run direct = timeRun("DirectRunner", directOut, build);
    List<String> microLines = sortedLines(microOut);
    List<String> directLines = sortedLines(directOut);
    if (!microLines.equals(directLines)) {
      throw new IllegalStateException(
          name + ": the runners disagree: " + microLines.size() + " vs " + directLines.size()
              + " output lines (outputs kept in " + microOut + " and " + directOut + ")");
    }
    return new Result(
        name, micro.millis(), direct.millis(), microLines.size(), notes.apply(micro, direct));
  }

  private static Run timeRun(String runner, Path outputDir, BiConsumer<Pipeline, Path> build)
      throws IOException {
    deleteRecursively(outputDir);
    Files.createDirectories(outputDir);
    PipelineOptions options = PipelineOptionsFactory.fromArgs("--runner=" + runner).create();
    Pipeline pipeline = Pipeline.create(options);
    build.accept(pipeline, outputDir);
    System.gc();
    long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long start = System.nanoTime();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return new Run((System.nanoTime() - start) / 1_000_000, heapBefore, result);
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
