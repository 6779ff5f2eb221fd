package dev.microbatch.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * End-to-end latency of a windowed count over an unbounded source at a fixed event rate. For each
 * (key, window) result, latency is the wall time it reached the end of the pipeline minus the
 * window's end: the creation time of the last event that could be in it. Results of the first
 * seconds (warm-up) are left out. Throughput is the events counted per second of event time.
 */
final class LatencyBenchmark {
  private static final int KEYS = 16;
  private static final long WINDOW_MILLIS = 100;
  private static final long WARMUP_MILLIS = 5_000;

  private LatencyBenchmark() {}

  /** What one run measured. */
  record Result(
      String runner, long eventsPerSecond, long p50, long p99, long max, int windows, double throughput) {
    @Override
    public String toString() {
      return String.format(
          "latency %-16s %,7d ev/s | p50 %5d ms | p99 %5d ms | max %5d ms | %5d results | sustained %,9.0f ev/s",
          runner, eventsPerSecond, p50, p99, max, windows, throughput);
    }
  }

  /** Appends "latency count" for every result to a file (one per run). */
  static final class RecordLatency extends DoFn<KV<Long, Long>, Void> {
    private final String file;
    private final long measureFrom;

    RecordLatency(String file, long measureFrom) {
      this.file = file;
      this.measureFrom = measureFrom;
    }

    @ProcessElement
    public void process(@Element KV<Long, Long> count, IntervalWindow window) throws IOException {
      long now = System.currentTimeMillis();
      if (window.start().getMillis() < measureFrom) {
        return;
      }
      String line = (now - window.end().getMillis()) + " " + count.getValue() + "\n";
      synchronized (RecordLatency.class) {
        Files.writeString(
            Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    }
  }

  static Result run(String runner, long eventsPerSecond, long seconds, long batchIntervalMillis, Path work)
      throws Exception {
    return run(runner, runner, eventsPerSecond, seconds, batchIntervalMillis, work, List.of());
  }

  /** A run labelled {@code label}, with {@code extraArgs} added to the pipeline's options. */
  static Result run(
      String label, String runner, long eventsPerSecond, long seconds, long batchIntervalMillis, Path work,
      List<String> extraArgs)
      throws Exception {
    Files.createDirectories(work);
    Path samples = work.resolve("latency-" + label + "-" + eventsPerSecond + ".txt");
    Files.deleteIfExists(samples);
    List<String> args = new ArrayList<>(
        List.of("--runner=" + runner, "--batchIntervalMillis=" + batchIntervalMillis, "--blockOnRun=false"));
    args.addAll(extraArgs);
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
                .withoutStrictParsing()
                .create());
    long start = System.currentTimeMillis() + 1_000;
    long measureFrom = start + WARMUP_MILLIS;
    pipeline
        .apply(Read.from(new RateSource(start, eventsPerSecond)))
        .apply(WithKeys.of((Long event) -> event % KEYS).withKeyType(TypeDescriptors.longs()))
        .apply(Window.into(FixedWindows.of(Duration.millis(WINDOW_MILLIS))))
        .apply(Count.perKey())
        .apply(ParDo.of(new RecordLatency(samples.toString(), measureFrom)));
    PipelineResult result = pipeline.run();
    Thread.sleep(start - System.currentTimeMillis() + seconds * 1000);
    result.cancel();

    List<Long> latencies = new ArrayList<>();
    long events = 0;
    if (Files.exists(samples)) {
      for (String line : Files.readAllLines(samples)) {
        String[] parts = line.split(" ");
        latencies.add(Long.parseLong(parts[0]));
        events += Long.parseLong(parts[1]);
      }
    }
    latencies.sort(null);
    double measuredSeconds = Math.max(1, seconds * 1000 - WARMUP_MILLIS - 1_000) / 1000.0;
    return new Result(
        label,
        eventsPerSecond,
        percentile(latencies, 50),
        percentile(latencies, 99),
        latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1),
        latencies.size(),
        events / measuredSeconds);
  }

  /**
   * The highest rate a run keeps up with: it counts at least 95% of the events it was offered
   * (a run falling behind leaves windows uncounted at the end) with p99 under one second (a backlog
   * makes latency grow over the run). Doubles the rate from {@code from} until a run fails, then
   * halves the gap between the last good and the first failed rate twice.
   */
  static Result highestSustainable(
      String label, long from, long seconds, long batchIntervalMillis, Path work, Supplier<List<String>> extraArgs)
      throws Exception {
    Result good = null;
    long rate = from;
    long failed = -1;
    while (failed < 0) {
      Result run = run(label, "MicroBatchRunner", rate, seconds, batchIntervalMillis, work, extraArgs.get());
      System.out.println(run + (keepsUp(run) ? "  (keeps up)" : "  (falls behind)"));
      if (keepsUp(run)) {
        good = run;
        rate *= 2;
      } else {
        failed = rate;
      }
    }
    long low = good == null ? 0 : good.eventsPerSecond();
    for (int step = 0; step < 2 && good != null; step++) {
      long middle = (low + failed) / 2;
      Result run = run(label, "MicroBatchRunner", middle, seconds, batchIntervalMillis, work, extraArgs.get());
      System.out.println(run + (keepsUp(run) ? "  (keeps up)" : "  (falls behind)"));
      if (keepsUp(run)) {
        good = run;
        low = middle;
      } else {
        failed = middle;
      }
    }
    return good;
  }

  private static boolean keepsUp(Result run) {
    return run.p99() >= 0 && run.p99() < 1_000 && run.throughput() >= 0.95 * run.eventsPerSecond();
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
