package dev.microbatch.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Nexmark query on one runner, from the "Performance:" table Beam's Nexmark launcher prints
 * ({@code Conf Runtime(sec) Events(/sec) Results}), and what its JVM cost.
 *
 * @param eventsPerSecond Nexmark's own figure; NaN when the run failed or printed none
 * @param results the records the query produced, -1 if unknown
 */
record NexmarkRun(String runner, double eventsPerSecond, long results, long peakRssBytes, String failure) {
  // The launcher's row for its one configuration: "  0000   1.7   60060.1   100000".
  private static final Pattern ROW =
      Pattern.compile("(?m)^\\s+0000\\s+(-?[\\d.]+)\\s+(-?[\\d.]+)\\s+(-?\\d+)\\s*$");

  static NexmarkRun of(String runner, ChildJvm.Outcome outcome) {
    Matcher row = ROW.matcher(outcome.output());
    if (outcome.timedOut()) {
      return new NexmarkRun(runner, Double.NaN, -1, outcome.peakRssBytes(), "timed out after " + outcome.millis() + " ms");
    }
    if (outcome.exitCode() != 0 || !row.find()) {
      return new NexmarkRun(runner, Double.NaN, -1, outcome.peakRssBytes(), "exit " + outcome.exitCode() + ": " + lastLines(outcome.output()));
    }
    double rate = Double.parseDouble(row.group(2));
    long results = Long.parseLong(row.group(3));
    return new NexmarkRun(runner, rate > 0 ? rate : Double.NaN, results, outcome.peakRssBytes(), rate > 0 ? null : "no rate");
  }

  boolean ok() {
    return failure == null;
  }

  /** A result count that differed between runs of one runner. */
  static final long VARIED = -2;

  /**
   * Several runs of one query on one runner as one: the median events/s and peak RSS (the lower
   * middle of an even count), the result count if every run gave the same ({@link #VARIED} if
   * not). Any failed run makes it the first failure: a runner that fails one run in three fails.
   */
  static NexmarkRun median(List<NexmarkRun> runs) {
    for (NexmarkRun run : runs) {
      if (!run.ok()) {
        return run;
      }
    }
    NexmarkRun first = runs.get(0);
    if (runs.size() == 1) {
      return first;
    }
    long results = runs.stream().allMatch(r -> r.results() == first.results()) ? first.results() : VARIED;
    return new NexmarkRun(
        first.runner(),
        middle(runs.stream().mapToDouble(NexmarkRun::eventsPerSecond).sorted().toArray()),
        results,
        (long) middle(runs.stream().mapToDouble(r -> (double) r.peakRssBytes()).sorted().toArray()),
        null);
  }

  /** Each run's events/s, peak RSS and results, in run order. */
  static String describe(List<NexmarkRun> runs) {
    List<String> parts = new ArrayList<>();
    for (NexmarkRun run : runs) {
      parts.add(
          run.ok()
              ? String.format(Locale.ROOT, "%,.0f/s %d MB %d", run.eventsPerSecond(), run.peakRssBytes() >> 20, run.results())
              : "FAILED");
    }
    return String.join(", ", parts);
  }

  private static double middle(double[] sorted) {
    return sorted[(sorted.length - 1) / 2];
  }

  private static String lastLines(String output) {
    String[] lines = output.strip().split("\n");
    StringBuilder tail = new StringBuilder();
    for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
      tail.append(lines[i].strip()).append(" / ");
    }
    return tail.toString();
  }
}
