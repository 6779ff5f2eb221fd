package dev.microbatch.benchmarks;

import dev.microbatch.engine.checkpoint.Checkpoint;
import dev.microbatch.engine.checkpoint.CheckpointStore;
import dev.microbatch.engine.checkpoint.DataFileRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.hadoop.conf.Configuration;

/**
 * What checkpoints cost on MicroBatchRunner in streaming mode: a per-key count over {@code keys}
 * keys ({@link ChangingKeysPipeline}) whose batches each change 1% of the keys, first creating
 * every key (fill phase, 100 batches), then updating spread-out keys (steady phase, 300 batches by
 * default, {@code -Dbenchmark.steadyBatches}).
 * Runs it without and with checkpoints (a warm-up pair, then A B pairs, {@code -Dbenchmark.rounds}
 * of them, 5 by default; same input), then, from the last checkpointed
 * run, the checkpoints' bytes and write times (the engine's DEBUG line per checkpoint), split into
 * incremental ones and those that compact a partition's chain, and the time a restart with the
 * same directory takes to restore.
 */
final class CheckpointBenchmark {
  // 300: long enough that what a run pays once (the JIT compiling the checkpoint path again after
  // a deoptimization, a young collection more or less) is not a tenth of the phase. At 100 the
  // ratio of the same build moved by 0.1 from one round to the next.
  private static final int STEADY_BATCHES = Integer.getInteger("benchmark.steadyBatches", 300);
  // Long enough that backpressure never shrinks the 1% batches; the source always has the next
  // batch ready, so batches still run back to back.
  private static final long BATCH_INTERVAL_MILLIS = 1_000;
  private static final long RUN_LIMIT_NANOS = 60L * 60 * 1_000_000_000;
  // A B pairs; the machine's noise (a run's throughput varies by 10% and more) needs several.
  private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 5);
  private static final int WARM_UP_PAIRS = Integer.getInteger("benchmark.warmUpPairs", 3);

  private CheckpointBenchmark() {}

  /** One run: its throughputs, and how long run() and the stop took. */
  record Run(
      String name,
      double steadyPerSecond,
      double wholePerSecond,
      double seconds,
      long startMillis,
      long stopMillis,
      double steadyCpuSeconds,
      double steadyGcSeconds) {
    @Override
    public String toString() {
      return String.format(
          "%-22s | steady %,11.0f el/s | whole %,11.0f el/s | %7.2f s | run() %5d ms | stop %5d ms"
              + " | steady CPU %5.2f core-s, GC %4.2f s",
          name, steadyPerSecond, wholePerSecond, seconds, startMillis, stopMillis, steadyCpuSeconds,
          steadyGcSeconds);
    }
  }

  /** The shape of the input, from the number of keys and the partitions. */
  private record Shape(long keys, int partitions, long perPartition, long perBatch, long fillBatches, long total) {
    static Shape of(long keys, int partitions) {
      long perPartition = Math.max(1, keys / 100 / partitions);
      long perBatch = perPartition * partitions;
      return new Shape(
          keys, partitions, perPartition, perBatch, (keys + perBatch - 1) / perBatch, keys + STEADY_BATCHES * perBatch);
    }
  }

  static String run(long keys, Path work) throws Exception {
    Shape shape = Shape.of(keys, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "checkpoint benchmark: %,d keys, %d partitions, %,d elements per batch (%.2f%% of keys),"
            + " %d fill + %d steady batches, %,d elements per run%n",
        keys, shape.partitions(), shape.perBatch(), 100.0 * shape.perBatch() / keys,
        shape.fillBatches(), STEADY_BATCHES, shape.total());
    Files.createDirectories(work);
    List<Path> dirs = new ArrayList<>();
    CheckpointLogTap tap = CheckpointLogTap.install();
    try {
      List<Run> without = new ArrayList<>();
      List<Run> with = new ArrayList<>();
      // Warm-up pairs first, not counted. The checkpoint path runs once per checkpoint, a few
      // hundred times a run, so the JIT reaches its top tier for it only over several runs: after
      // one warm-up pair the C2 compiler still used 1-4 core-seconds of the next B runs' steady
      // phases (measured from /proc), which a job that runs for hours pays once.
      for (int warmUp = 1; warmUp <= WARM_UP_PAIRS; warmUp++) {
        runOnce("warm-up A", shape, null);
        Path warmUpDir = Files.createTempDirectory(work, "checkpoints-");
        dirs.add(warmUpDir);
        tap.reset();
        runOnce("warm-up B", shape, warmUpDir);
      }
      Path dir = null;
      for (int round = 1; round <= ROUNDS; round++) {
        without.add(print(runOnce("A no checkpoints #" + round, shape, null)));
        dir = Files.createTempDirectory(work, "checkpoints-");
        dirs.add(dir);
        tap.reset();
        with.add(print(runOnce("B checkpoints #" + round, shape, dir)));
      }
      // The cancel of the last B run wrote its final checkpoint: that is what a restart restores.
      List<CheckpointLogTap.Checkpoint> checkpoints = tap.checkpoints();
      Checkpoint latest = CheckpointStore.open(dir.toString(), new Configuration()).latest().orElseThrow();
      long restoredBytes = latest.files().stream().mapToLong(DataFileRef::length).sum();
      tap.reset();
      Restart restart = restart(shape, dir, tap);

      double bestWithout = without.stream().mapToDouble(Run::steadyPerSecond).max().orElseThrow();
      double bestWith = with.stream().mapToDouble(Run::steadyPerSecond).max().orElseThrow();
      double ratio = bestWith / bestWithout;
      List<Double> pairRatios = new ArrayList<>();
      for (int i = 0; i < with.size(); i++) {
        pairRatios.add(with.get(i).steadyPerSecond() / without.get(i).steadyPerSecond());
      }
      double medianPair = percentile(pairRatios, 50, r -> r);
      System.out.printf(
          "throughput with/without checkpoints (best steady of each): %.2f (goal >= 0.80); round by"
              + " round %s, median %.2f%n",
          ratio,
          pairRatios.stream().map(r -> String.format("%.2f", r)).toList(),
          medianPair);
      List<Double> cpuRatios = new ArrayList<>();
      for (int i = 0; i < with.size(); i++) {
        cpuRatios.add(without.get(i).steadyCpuSeconds() / with.get(i).steadyCpuSeconds());
      }
      // The CPU the steady phase took, without against with: on a machine whose cores the run fills,
      // the throughput ratio follows it, with less of the scheduling noise of wall time.
      System.out.printf(
          "steady-phase CPU without/with checkpoints, round by round %s, median %.2f%n%n",
          cpuRatios.stream().map(r -> String.format("%.2f", r)).toList(),
          percentile(cpuRatios, 50, r -> r));

      System.out.printf(
          "checkpoints of the last B run: %d for %d batches (a batch that commits while the previous"
              + " checkpoint is still being written gets none: the next one carries its changes)%n",
          checkpoints.size(), shape.fillBatches() + STEADY_BATCHES);
      System.out.printf(
          "%-20s %5s | %9s | %11s %11s | %6s %6s | %7s %7s | %9s %9s%n",
          "kind", "count", "keys med", "bytes med", "bytes p90", "ms med", "ms p90", "cap med", "cap p90",
          "B/key med", "B/key p90");
      Predicate<CheckpointLogTap.Checkpoint> steady = c -> c.batch() >= shape.fillBatches();
      Predicate<CheckpointLogTap.Checkpoint> whole = c -> c.fullFiles() != 0;
      Predicate<CheckpointLogTap.Checkpoint> withState = c -> c.files() > 0;
      printRow("fill, incremental", checkpoints, withState.and(steady.negate()).and(whole.negate()));
      printRow("fill, whole files", checkpoints, withState.and(steady.negate()).and(whole));
      printRow("steady, incremental", checkpoints, withState.and(steady).and(whole.negate()));
      printRow("steady, whole files", checkpoints, withState.and(steady).and(whole));
      List<CheckpointLogTap.Checkpoint> steadyAll = checkpoints.stream().filter(withState.and(steady)).toList();
      printRow("steady, all", checkpoints, withState.and(steady));
      long steadyBytes = steadyAll.stream().mapToLong(CheckpointLogTap.Checkpoint::bytes).sum();
      long steadyMillis = steadyAll.stream().mapToLong(CheckpointLogTap.Checkpoint::millis).sum();
      long steadyCaptureMillis =
          steadyAll.stream().mapToLong(CheckpointLogTap.Checkpoint::captureMillis).sum();
      System.out.printf(
          "steady phase, per batch (whole files amortized): %,d bytes, %.1f ms of checkpoint writing,"
              + " %.1f ms of capturing between batches%n",
          steadyBytes / STEADY_BATCHES, (double) steadyMillis / STEADY_BATCHES,
          (double) steadyCaptureMillis / STEADY_BATCHES);

      System.out.printf(
          "recovery: restored batch %d (%d files, %,d bytes: per partition its last whole file and the"
              + " changes since) %d ms after run() was called; run() returned after %d ms (a fresh start:"
              + " %d ms without checkpoints, %d ms on an empty directory); stopping took %d ms; elements"
              + " processed again after the restore: %,d (expected 0)%n%n",
          restart.batch(), latest.files().size(), restoredBytes, restart.restoreMillis(),
          restart.run().startMillis(), without.get(without.size() - 1).startMillis(),
          with.get(with.size() - 1).startMillis(), restart.run().stopMillis(), restart.reprocessed());
      if (restart.batch() != latest.batchId()) {
        System.out.printf("WARNING: the newest checkpoint is of batch %d%n", latest.batchId());
      }

      List<CheckpointLogTap.Checkpoint> incremental =
          steadyAll.stream().filter(withState.and(whole.negate())).toList();
      return String.format(
          "SUMMARY checkpoint %,d keys: with/without checkpoints %.2f (goal >= 0.80; median of %d"
              + " rounds %.2f); steady checkpoint"
              + " bytes med %,d p90 %,d, ms med %d p90 %d; incremental %.1f B/changed key; restore %d ms"
              + " of %,d bytes",
          keys, ratio, pairRatios.size(), medianPair,
          (long) percentile(steadyAll, 50, CheckpointLogTap.Checkpoint::bytes),
          (long) percentile(steadyAll, 90, CheckpointLogTap.Checkpoint::bytes),
          (long) percentile(steadyAll, 50, CheckpointLogTap.Checkpoint::millis),
          (long) percentile(steadyAll, 90, CheckpointLogTap.Checkpoint::millis),
          percentile(incremental, 50, CheckpointBenchmark::bytesPerKey), restart.restoreMillis(), restoredBytes);
    } finally {
      tap.close();
      for (Path dir : dirs) {
        delete(dir);
      }
    }
  }

  private static Run print(Run run) {
    System.out.println(run);
    // Where the steady phase's CPU went: Java threads by kind; the rest is the collector and the JIT.
    Map<String, Long> used = Map.copyOf(ChangingKeysPipeline.STEADY_THREAD_USED);
    double javaThreads = used.entrySet().stream()
        .filter(e -> !e.getKey().endsWith(ChangingKeysPipeline.KERNEL) && !e.getKey().startsWith(ChangingKeysPipeline.VM))
        .mapToLong(Map.Entry::getValue)
        .sum() / 1e9;
    StringBuilder line = new StringBuilder("    steady CPU by thread:");
    used.entrySet().stream()
        .filter(e -> e.getValue() >= 50_000_000L)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> line.append(String.format(" %s %.2f,", e.getKey(), e.getValue() / 1e9)));
    double jit = (ChangingKeysPipeline.FINISHED_JIT.get() - ChangingKeysPipeline.STEADY_JIT.get()) / 1e3;
    line.append(String.format(" JIT %.2f, GC+VM %.2f", jit, run.steadyCpuSeconds() - javaThreads - jit));
    line.append(String.format(
        " (JVM uptime %d-%d ms)", ChangingKeysPipeline.STEADY_UPTIME.get(), ChangingKeysPipeline.FINISHED_UPTIME.get()));
    System.out.println(line);
    return run;
  }

  private static Pipeline pipeline(Shape shape, Path checkpointDir) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=MicroBatchRunner",
                "--streaming=true",
                "--jobName=checkpoint-benchmark",
                "--parallelism=" + shape.partitions(),
                "--maxRecordsPerBatch=" + shape.perPartition(),
                "--batchIntervalMillis=" + BATCH_INTERVAL_MILLIS,
                "--blockOnRun=false"));
    if (checkpointDir != null) {
      args.add("--checkpointDir=" + checkpointDir);
      // Extra options for the runs with checkpoints (to see what a setting costs).
      String extra = System.getProperty("benchmark.checkpointArgs", "").trim();
      if (!extra.isEmpty()) {
        args.addAll(List.of(extra.split("\\s+")));
      }
    }
    Pipeline pipeline =
        Pipeline.create(PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create());
    ChangingKeysPipeline.build(pipeline, shape.keys(), shape.total());
    return pipeline;
  }

  /** Runs the whole input, then cancels (with checkpoints: the last batch commits, a final checkpoint). */
  private static Run runOnce(String name, Shape shape, Path checkpointDir) throws Exception {
    Pipeline pipeline = pipeline(shape, checkpointDir);
    ChangingKeysPipeline.resetProgress();
    // Every run starts from a heap without the previous run's million keys, as SideBySide does:
    // otherwise a run pays for collecting its predecessor's state, and the order biases the ratio.
    System.gc();
    long started = System.nanoTime();
    PipelineResult result = pipeline.run();
    long returned = System.nanoTime();
    while (ChangingKeysPipeline.FINISHED.get() == 0) {
      if (result.getState().isTerminal()) {
        result.waitUntilFinish(); // throws the failure
        throw new IllegalStateException(name + " ended before reading all input: " + result.getState());
      }
      if (System.nanoTime() - started > RUN_LIMIT_NANOS) {
        result.cancel();
        throw new IllegalStateException(name + " did not finish within the limit");
      }
      Thread.sleep(2);
    }
    long finished = ChangingKeysPipeline.FINISHED.get();
    long steadyStarted = ChangingKeysPipeline.STEADY_STARTED.get();
    long stopping = System.nanoTime();
    result.cancel();
    result.waitUntilFinish();
    long stopped = System.nanoTime();
    return new Run(
        name,
        (shape.total() - shape.keys()) / ((finished - steadyStarted) / 1e9),
        shape.total() / ((finished - started) / 1e9),
        (finished - started) / 1e9,
        (returned - started) / 1_000_000,
        (stopped - stopping) / 1_000_000,
        (ChangingKeysPipeline.FINISHED_CPU.get() - ChangingKeysPipeline.STEADY_CPU.get()) / 1e9,
        (ChangingKeysPipeline.FINISHED_GC.get() - ChangingKeysPipeline.STEADY_GC.get()) / 1e9);
  }

  /** A restart: its run, the batch restored and when (-1 if it logged none), what it read again. */
  private record Restart(Run run, long batch, long restoreMillis, long reprocessed) {}

  /**
   * Starts the same pipeline on the same directory: run() restores the checkpoint before it
   * returns. Its input is all read, so batches after the restore must process nothing; it runs
   * two batch intervals to show that, then stops.
   */
  private static Restart restart(Shape shape, Path checkpointDir, CheckpointLogTap tap) throws Exception {
    Pipeline pipeline = pipeline(shape, checkpointDir);
    ChangingKeysPipeline.resetProgress();
    // Every run starts from a heap without the previous run's million keys, as SideBySide does:
    // otherwise a run pays for collecting its predecessor's state, and the order biases the ratio.
    System.gc();
    long started = System.nanoTime();
    PipelineResult result = pipeline.run();
    long returned = System.nanoTime();
    Thread.sleep(2 * BATCH_INTERVAL_MILLIS);
    long stopping = System.nanoTime();
    result.cancel();
    result.waitUntilFinish();
    long stopped = System.nanoTime();
    List<CheckpointLogTap.Restore> restores = tap.restores();
    Run run =
        new Run(
            "restart (restore)", 0, 0, (stopped - started) / 1e9,
            (returned - started) / 1_000_000, (stopped - stopping) / 1_000_000, 0, 0);
    return restores.isEmpty()
        ? new Restart(run, -1, -1, ChangingKeysPipeline.PROCESSED.get())
        : new Restart(
            run,
            restores.get(0).batch(),
            (restores.get(0).at() - started) / 1_000_000,
            ChangingKeysPipeline.PROCESSED.get());
  }

  private static void printRow(
      String kind, List<CheckpointLogTap.Checkpoint> all, Predicate<CheckpointLogTap.Checkpoint> which) {
    List<CheckpointLogTap.Checkpoint> rows = all.stream().filter(which).toList();
    System.out.printf(
        "%-20s %5d | %,9.0f | %,11.0f %,11.0f | %6.0f %6.0f | %7.0f %7.0f | %9.1f %9.1f%n",
        kind, rows.size(),
        percentile(rows, 50, CheckpointLogTap.Checkpoint::keys),
        percentile(rows, 50, CheckpointLogTap.Checkpoint::bytes),
        percentile(rows, 90, CheckpointLogTap.Checkpoint::bytes),
        percentile(rows, 50, CheckpointLogTap.Checkpoint::millis),
        percentile(rows, 90, CheckpointLogTap.Checkpoint::millis),
        percentile(rows, 50, CheckpointLogTap.Checkpoint::captureMillis),
        percentile(rows, 90, CheckpointLogTap.Checkpoint::captureMillis),
        percentile(rows, 50, CheckpointBenchmark::bytesPerKey),
        percentile(rows, 90, CheckpointBenchmark::bytesPerKey));
  }

  /** Bytes per key written; the graph file makes a checkpoint of no keys cost its bytes alone. */
  private static double bytesPerKey(CheckpointLogTap.Checkpoint c) {
    return c.keys() == 0 ? Double.NaN : (double) c.bytes() / c.keys();
  }

  /** Nearest-rank percentile; NaN for no values. */
  private static <T> double percentile(List<T> values, int p, ToDoubleFunction<T> value) {
    double[] sorted = values.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
