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
import org.joda.time.Duration;

/**
 * Runs one pipeline on MicroBatchRunner and on Beam's DirectRunner (default settings) in the same
 * JVM, times each run end to end, checks that both wrote the same output lines, and prints the
 * times and the speed-up. DirectRunner may be given a time limit: if it has not finished by then it
 * is cancelled, and the speed-up is reported as a lower bound, with outputs not compared.
 */
final class SideBySide {
  private SideBySide() {}

  /** What one side-by-side run measured; {@code notes} reports anything else a benchmark measured. */
  record Result(
      String name,
      long microBatchMillis,
      long directMillis,
      boolean directFinished,
      int outputLines,
      String notes) {
    double speedup() {
      return (double) directMillis / microBatchMillis;
    }

    @Override
    public String toString() {
      if (!directFinished) {
        return String.format(
            "%-24s MicroBatchRunner %8d ms | DirectRunner stopped unfinished after %8d ms | speed-up"
                + " more than %6.1fx | outputs not compared (%d MicroBatchRunner lines)%s",
            name, microBatchMillis, directMillis, speedup(), outputLines, notes);
      }
      return String.format(
          "%-24s MicroBatchRunner %8d ms | DirectRunner %8d ms | speed-up %6.1fx | %d identical output lines%s",
          name, microBatchMillis, directMillis, speedup(), outputLines, notes);
    }
  }

  /**
   * One timed run: its time, heap in use just before it (after a GC), its result, and whether it
   * finished (a run stopped at its time limit did not).
   */
  record Run(long millis, long heapBefore, PipelineResult result, boolean finished) {}

  /**
   * @param build adds the pipeline to a fresh {@link Pipeline}, writing text output under the
   *     given directory
   */
  static Result run(String name, Path workDir, BiConsumer<Pipeline, Path> build) throws IOException {
    return run(name, workDir, build, (micro, direct) -> "", Long.MAX_VALUE);
  }

  /**
   * Like {@link #run(String, Path, BiConsumer)}, with {@code notes} reporting more of both runs,
   * and DirectRunner stopped after {@code directLimitMillis}.
   */
  static Result run(
      String name,
      Path workDir,
      BiConsumer<Pipeline, Path> build,
      BiFunction<Run, Run, String> notes,
      long directLimitMillis)
      throws IOException {
    Path microOut = workDir.resolve(name + "-microbatch");
    Path directOut = workDir.resolve(name + "-direct");
    Run micro = timeRun("MicroBatchRunner", microOut, build, Long.MAX_VALUE);
    Run direct = timeRun("DirectRunner", directOut, build, directLimitMillis);
    List<String> microLines = sortedLines(microOut);
    if (!direct.finished()) {
      return new Result(
          name, micro.millis(), direct.millis(), false, microLines.size(), notes.apply(micro, direct));
    }
    List<String> directLines = sortedLines(directOut);
    if (!microLines.equals(directLines)) {
      throw new IllegalStateException(
          name + ": the runners disagree: " + microLines.size() + " vs " + directLines.size()
              + " output lines (outputs kept in " + microOut + " and " + directOut + ")");
    }
    return new Result(
        name, micro.millis(), direct.millis(), true, microLines.size(), notes.apply(micro, direct));
  }

  private static Run timeRun(
      String runner, Path outputDir, BiConsumer<Pipeline, Path> build, long limitMillis)
      throws IOException {
    deleteRecursively(outputDir);
    Files.createDirectories(outputDir);
    // A time limit needs run() to return at once (DirectRunner blocks in run() by default).
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs("--runner=" + runner, "--blockOnRun=false").create();
    Pipeline pipeline = Pipeline.create(options);
    build.accept(pipeline, outputDir);
    System.gc();
    long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long start = System.nanoTime();
    PipelineResult result = pipeline.run();
    PipelineResult.State state =
        limitMillis == Long.MAX_VALUE
            ? result.waitUntilFinish()
            : result.waitUntilFinish(Duration.millis(limitMillis));
    long millis = (System.nanoTime() - start) / 1_000_000;
    boolean finished = state == PipelineResult.State.DONE;
    if (!finished) {
      result.cancel();
    }
    return new Run(millis, heapBefore, result, finished);
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
