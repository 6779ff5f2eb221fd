package dev.microbatch.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How close a runner can come to Nexmark's own cost: for queries 0, 1 and 2 in batch mode, {@code
 * NexmarkFloor} (the generator, the query's per-event step and the launcher's result formatting in
 * two threads, with no runner; {@code benchmarks/nexmark/floor}) beside MicroBatchRunner and
 * FlinkRunner, each run in a JVM of its own with the same heap, runs alternating. Prints the median
 * events/s of each, the floor's ratio to Flink's (no runner on this machine can beat Flink by more)
 * and ours to the floor's. System properties: {@code benchmark.floorQueries} (0,1,2), {@code
 * benchmark.floorRuns} (3), {@code benchmark.nexmarkBatchEvents} (1,000,000), {@code
 * benchmark.nexmarkTimeoutMinutes} (10 per run).
 */
final class NexmarkFloorBenchmark {
  private static final String FLOOR_MAIN = "dev.microbatch.benchmarks.floor.NexmarkFloor";
  private static final List<String> RUNNERS = List.of("floor", "microbatch", "flink");

  private NexmarkFloorBenchmark() {}

  static void run(Path benchmarks) throws Exception {
    List<String> queries = List.of(System.getProperty("benchmark.floorQueries", "0,1,2").split(","));
    long events = Long.getLong("benchmark.nexmarkBatchEvents", 1_000_000);
    int runs = Integer.getInteger("benchmark.floorRuns", 3);
    long timeoutMillis = Long.getLong("benchmark.nexmarkTimeoutMinutes", 10) * 60_000;
    Map<String, String> classpaths =
        Map.of(
            "floor", NexmarkClasspaths.floor(benchmarks),
            "microbatch", NexmarkClasspaths.microBatch(benchmarks),
            "flink", NexmarkClasspaths.flink(benchmarks));

    System.out.printf(
        "%nNexmark's floor, batch mode, %,d events, one JVM per run (%s), median of %d runs%n", events,
        String.join(" ", NexmarkBenchmark.HEAP), runs);
    System.out.printf(
        "%-6s | %12s %12s %12s | %11s %12s | %s%n", "query", "floor", "MicroBatch", "Flink", "floor/Flink",
        "ours/floor", "results (floor MicroBatch Flink)");
    for (String query : queries) {
      Map<String, List<NexmarkRun>> runsByRunner = new LinkedHashMap<>();
      for (int attempt = 0; attempt < runs; attempt++) {
        for (String runner : RUNNERS) {
          ChildJvm.Outcome outcome =
              runner.equals("floor")
                  ? ChildJvm.run(
                      NexmarkBenchmark.HEAP, classpaths.get(runner), FLOOR_MAIN,
                      List.of(query, Long.toString(events)), timeoutMillis)
                  : ChildJvm.run(
                      NexmarkBenchmark.HEAP, classpaths.get(runner), NexmarkBenchmark.MAIN,
                      NexmarkBenchmark.args(runner, query, events, false, false, benchmarks), timeoutMillis);
          runsByRunner.computeIfAbsent(runner, r -> new ArrayList<>()).add(NexmarkRun.of(runner, outcome));
        }
      }
      NexmarkRun floor = NexmarkRun.median(runsByRunner.get("floor"));
      NexmarkRun ours = NexmarkRun.median(runsByRunner.get("microbatch"));
      NexmarkRun flink = NexmarkRun.median(runsByRunner.get("flink"));
      System.out.printf(
          Locale.ROOT, "%-6s | %12s %12s %12s | %11s %12s | %s %s %s%n", query,
          NexmarkBenchmark.rate(floor), NexmarkBenchmark.rate(ours), NexmarkBenchmark.rate(flink),
          ratio(floor, flink), ratio(ours, floor), floor.results(), ours.results(), flink.results());
      runsByRunner.forEach(
          (runner, all) -> System.out.printf("%-6s   %s runs: %s%n", "", runner, NexmarkRun.describe(all)));
      for (NexmarkRun run : List.of(floor, ours, flink)) {
        if (!run.ok()) {
          System.out.printf("    %s failed: %s%n", run.runner(), run.failure());
        }
      }
    }
  }

  private static String ratio(NexmarkRun a, NexmarkRun b) {
    return a.ok() && b.ok() ? String.format(Locale.ROOT, "%.2f", a.eventsPerSecond() / b.eventsPerSecond()) : "-";
  }
}
