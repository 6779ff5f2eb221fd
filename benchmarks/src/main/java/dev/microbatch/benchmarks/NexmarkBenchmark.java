package dev.microbatch.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Beam's Nexmark suite (2.60.0, the newest published) on MicroBatchRunner, Beam's FlinkRunner
 * 2.62.0 (Flink 1.19, embedded, parallelism 2) and DirectRunner, each query in a JVM of its own
 * with the same heap ({@code -Xms2g -Xmx6g}), in batch and in streaming mode, all in one
 * invocation. Prints Nexmark's own events/s per runner, our ratio to Flink's, whether the result
 * counts agree (where the query is deterministic), and each JVM's peak RSS. System properties:
 * {@code benchmark.nexmarkQueries} (numbers or names, comma-separated; 0-12 and the four newer
 * queries the jar has by default), {@code benchmark.nexmarkModes} (batch,streaming), {@code
 * benchmark.nexmarkRunners} (microbatch,flink,direct), {@code benchmark.nexmarkBatchEvents}
 * (1,000,000), {@code benchmark.nexmarkStreamingEvents} (100,000), {@code
 * benchmark.nexmarkTimeoutMinutes} (10 per run), {@code benchmark.nexmarkRuns} (1: runs per query and
 * runner, alternating between runners; the table then shows medians and each run below it).
 */
final class NexmarkBenchmark {
  static final String MAIN = "org.apache.beam.sdk.nexmark.Main";
  static final List<String> HEAP = List.of("-Xms2g", "-Xmx6g");
  // Processing-time windows and triggers: their result counts depend on timing, on any runner.
  private static final Set<String> TIMING_DEPENDENT = Set.of("10", "12");
  // A global window fired after every element (accumulating): its panes depend on how a runner cuts
  // the input into bundles, plus the final pane Beam's ReduceFnRunner fires at the window's end
  // (DirectRunner fires it too); Flink's batch translation ignores triggers, one pane per key.
  private static final Set<String> PANES_DEPEND_ON_BUNDLING = Set.of("6");
  // Nexmark itself runs this one only in batch mode ("*** not run ***" in streaming).
  private static final Set<String> BATCH_ONLY = Set.of("PORTABILITY_BATCH");

  private NexmarkBenchmark() {}

  static void run(Path benchmarks) throws Exception {
    List<String> queries =
        List.of(
            System.getProperty(
                    "benchmark.nexmarkQueries",
                    "0,1,2,3,4,5,6,7,8,9,10,11,12,BOUNDED_SIDE_INPUT_JOIN,SESSION_SIDE_INPUT_JOIN,"
                        + "PORTABILITY_BATCH,RESHUFFLE")
                .split(","));
    List<String> modes = List.of(System.getProperty("benchmark.nexmarkModes", "batch,streaming").split(","));
    List<String> runners =
        List.of(System.getProperty("benchmark.nexmarkRunners", "microbatch,flink,direct").split(","));
    long batchEvents = Long.getLong("benchmark.nexmarkBatchEvents", 1_000_000);
    long streamingEvents = Long.getLong("benchmark.nexmarkStreamingEvents", 100_000);
    long timeoutMillis = Long.getLong("benchmark.nexmarkTimeoutMinutes", 10) * 60_000;
    // One JVM's figures swing with its collector's heap sizing (peak RSS 1.7 or 2.6 GB for one
    // query, one run to the next): several runs per runner give medians.
    int runs = Integer.getInteger("benchmark.nexmarkRuns", 1);
    // Streaming runs checkpoint, as a streaming job users run does: ours after every batch, Flink
    // every second (its usual shortest interval).
    boolean checkpoints = Boolean.parseBoolean(System.getProperty("benchmark.nexmarkCheckpoints", "true"));

    Map<String, String> classpaths = new LinkedHashMap<>();
    String ours = NexmarkClasspaths.microBatch(benchmarks);
    classpaths.put("microbatch", ours);
    classpaths.put("direct", ours);
    if (runners.contains("flink")) {
      classpaths.put("flink", NexmarkClasspaths.flink(benchmarks));
    }

    List<String> summary = new ArrayList<>();
    for (String mode : modes) {
      boolean streaming = mode.equals("streaming");
      long events = streaming ? streamingEvents : batchEvents;
      System.out.printf(
          "%nNexmark, %s mode, %,d events, one JVM per run (%s)%s%s%n", mode, events, String.join(" ", HEAP),
          runs > 1 ? ", median of " + runs + " runs per runner" : "",
          streaming && checkpoints
              ? ", checkpointing (MicroBatch after every batch, Flink every 1 s)"
              : streaming ? ", no checkpoints" : "");
      System.out.printf(
          "%-24s | %12s %12s %12s | %8s | %-32s | %s%n", "query", "MicroBatch", "Flink", "Direct",
          "ours/Fl", "results (MicroBatch Flink Direct)", "peak RSS MB (MicroBatch Flink Direct)");
      List<Double> ratios = new ArrayList<>();
      int rssNotAbove = 0;
      int rssCompared = 0;
      for (String query : queries) {
        if (streaming && BATCH_ONLY.contains(query)) {
          continue;
        }
        // Runs alternate between runners, so that a slow spell of the machine hits each alike.
        Map<String, List<NexmarkRun>> runsByRunner = new LinkedHashMap<>();
        for (int attempt = 0; attempt < runs; attempt++) {
          for (String runner : List.of("microbatch", "flink", "direct")) {
            if (runners.contains(runner)) {
              runsByRunner
                  .computeIfAbsent(runner, r -> new ArrayList<>())
                  .add(
                      NexmarkRun.of(
                          runner,
                          ChildJvm.run(
                              HEAP,
                              classpaths.get(runner),
                              MAIN,
                              args(runner, query, events, streaming, checkpoints, benchmarks),
                              timeoutMillis)));
            }
          }
        }
        Map<String, NexmarkRun> byRunner = new LinkedHashMap<>();
        runsByRunner.forEach((runner, all) -> byRunner.put(runner, NexmarkRun.median(all)));
        NexmarkRun micro = byRunner.get("microbatch");
        NexmarkRun flink = byRunner.get("flink");
        double ratio = micro != null && flink != null ? micro.eventsPerSecond() / flink.eventsPerSecond() : Double.NaN;
        if (!Double.isNaN(ratio)) {
          ratios.add(ratio);
        }
        if (micro != null && flink != null && micro.peakRssBytes() > 0 && flink.peakRssBytes() > 0) {
          rssCompared++;
          rssNotAbove += micro.peakRssBytes() <= flink.peakRssBytes() ? 1 : 0;
        }
        System.out.printf(
            "%-24s | %12s %12s %12s | %8s | %-32s | %s%n", query, rate(micro), rate(flink),
            rate(byRunner.get("direct")), Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio),
            results(query, byRunner), rss(byRunner));
        if (runs > 1) {
          runsByRunner.forEach(
              (runner, all) -> System.out.printf("%-24s   %s runs: %s%n", "", runner, NexmarkRun.describe(all)));
        }
        for (NexmarkRun run : byRunner.values()) {
          if (!run.ok()) {
            System.out.printf("    %s failed: %s%n", run.runner(), run.failure());
          }
        }
      }
      summary.add(
          String.format(
              Locale.ROOT,
              "SUMMARY nexmark %s %,d events: MicroBatch/Flink events/s min %.2f, geometric mean %.2f,"
                  + " %d of %d queries at 2x or more; peak RSS at or below Flink's on %d of %d",
              mode, events, ratios.stream().mapToDouble(r -> r).min().orElse(Double.NaN), geometricMean(ratios),
              ratios.stream().filter(r -> r >= 2).count(), ratios.size(), rssNotAbove, rssCompared));
    }
    System.out.println();
    summary.forEach(System.out::println);
  }

  static List<String> args(
      String runner, String query, long events, boolean streaming, boolean checkpoints, Path benchmarks)
      throws IOException {
    List<String> args = new ArrayList<>();
    boolean checkpointing = streaming && checkpoints;
    switch (runner) {
      case "microbatch" -> {
        args.add("--runner=MicroBatchRunner");
        if (checkpointing) {
          Path dir = Files.createDirectories(benchmarks.resolve("target/benchmark-data/nexmark-checkpoints"));
          args.add("--checkpointDir=" + Files.createTempDirectory(dir, "q" + query + "-"));
        }
      }
      case "flink" -> {
        args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
        if (checkpointing) {
          args.add("--checkpointingInterval=1000");
        }
      }
      case "direct" -> args.add("--runner=DirectRunner");
      default -> throw new IllegalArgumentException("Unknown runner " + runner + "; microbatch, flink or direct");
    }
    args.addAll(
        List.of(
            "--query=" + query, "--numEvents=" + events, "--streaming=" + streaming,
            "--manageResources=false", "--monitorJobs=true"));
    return args;
  }

  static String rate(NexmarkRun run) {
    return run == null ? "-" : run.ok() ? String.format(Locale.ROOT, "%,.0f", run.eventsPerSecond()) : "FAILED";
  }

  /** The result counts, and whether they agree where the query's output does not depend on timing. */
  private static String results(String query, Map<String, NexmarkRun> byRunner) {
    List<Long> counts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (NexmarkRun run : byRunner.values()) {
      text.append(!run.ok() ? "-" : run.results() == NexmarkRun.VARIED ? "varied" : Long.toString(run.results()))
          .append(' ');
      if (run.ok()) {
        counts.add(run.results());
      }
    }
    boolean agree = counts.stream().distinct().count() <= 1;
    String verdict = TIMING_DEPENDENT.contains(query)
        ? "(timing)"
        : PANES_DEPEND_ON_BUNDLING.contains(query) ? "(panes)" : agree ? "agree" : "DIFFER";
    return text.toString().trim() + " " + verdict;
  }

  private static String rss(Map<String, NexmarkRun> byRunner) {
    StringBuilder text = new StringBuilder();
    for (NexmarkRun run : byRunner.values()) {
      text.append(run.peakRssBytes() > 0 ? Long.toString(run.peakRssBytes() >> 20) : "-").append(' ');
    }
    return text.toString().trim();
  }

  private static double geometricMean(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double logs = 0;
    for (double v : values) {
      logs += Math.log(v);
    }
    return Math.exp(logs / values.size());
  }
}
