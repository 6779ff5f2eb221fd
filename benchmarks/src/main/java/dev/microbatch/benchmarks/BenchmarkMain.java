package dev.microbatch.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the benchmarks on MicroBatchRunner and Beam's DirectRunner side by side and prints both
 * results. Arguments (all optional): {@code
 * wordcount|groupcombine|all|stateful|state-at-rest|latency|latency-ui|checkpoint|kafka-sink|dstream-window|nexmark|nexmark-floor}
 * (all means the two batch ones; state-at-rest measures MicroBatchRunner's keyed state alone), the
 * text size in MB (default 100), the number of generated elements (default 2,000,000; for the
 * stateful benchmarks, the number of keys, default 1,000,000), and the minutes after which the
 * stateful benchmark stops an unfinished DirectRunner run (default 15). The checkpoint benchmark
 * (MicroBatchRunner alone) takes its number of keys from the system property {@code
 * benchmark.keys} (default 1,000,000). The kafka-sink benchmark takes its number of records from
 * the elements argument (default 2,000,000). The dstream-window benchmark (the streaming API alone)
 * takes its words per batch from the elements argument, and {@code benchmark.vocabulary}, {@code
 * benchmark.batches} and {@code benchmark.rounds} from system properties. The nexmark benchmark
 * runs Beam's Nexmark suite in child JVMs and takes its settings from system properties (see
 * {@link NexmarkBenchmark}); nexmark-floor sets queries 0-2 beside what they cost with no runner
 * (see {@link NexmarkFloorBenchmark}).
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  /** Prints each result as it arrives, so a long run that fails later still reports it. */
  private static final class PrintingList<T> extends ArrayList<T> {
    @Override
    public boolean add(T result) {
      System.out.println(result);
      return super.add(result);
    }
  }

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "all";
    long textMb = args.length > 1 ? Long.parseLong(args[1]) : 100;
    long elements = args.length > 2 ? Long.parseLong(args[2]) : 2_000_000;
    // DirectRunner fires each key's timer in a bundle of its own, about 15 ms each on 2 cores: at
    // a million keys it would take hours, so the stateful benchmark stops it at this limit.
    long directLimitMillis =
        args.length > 3 ? Long.parseLong(args[3]) * 60_000 : 15 * 60_000;
    Path work = Path.of("target", "benchmark-data").toAbsolutePath();
    List<SideBySide.Result> results = new PrintingList<>();
    if (which.equals("all") || which.equals("wordcount")) {
      Path text = TextGenerator.generate(work.resolve("text-" + textMb + "mb.txt"), textMb << 20, 50_000, 42);
      results.add(
          SideBySide.run(
              "wordcount-" + textMb + "MB", work, (p, out) -> WordCountPipeline.build(p, text, out)));
    }
    if (which.equals("all") || which.equals("groupcombine")) {
      results.add(
          SideBySide.run(
              "groupcombine-" + elements,
              work,
              // 1,000 keys: with 100,000 keys DirectRunner did not finish 2,000,000 elements in 30 min.
              (p, out) -> GroupCombinePipeline.build(p, elements, 1_000, out)));
    }
    if (which.equals("stateful")) {
      long keys = args.length > 2 && elements != 2_000_000 ? elements : 1_000_000;
      results.add(
          SideBySide.run(
              "stateful-" + keys + "-keys",
              work,
              (p, out) -> StatefulCountPipeline.build(p, 3 * keys, keys, out),
              (micro, direct) ->
                  String.format(
                      " | state bytes/key: MicroBatchRunner %d, DirectRunner %d"
                          + " | keys emitted: MicroBatchRunner %d, DirectRunner %d of %d",
                      StatefulCountPipeline.bytesPerKey(micro, keys),
                      StatefulCountPipeline.bytesPerKey(direct, keys),
                      StatefulCountPipeline.keysEmitted(micro),
                      StatefulCountPipeline.keysEmitted(direct),
                      keys),
              directLimitMillis));
    }
    if (which.equals("wordcount-vs-hand")) {
      WordCountVsHandWritten.run(work, textMb, Integer.getInteger("benchmark.rounds", 3));
    }
    if (which.equals("nexmark")) {
      // Beam's Nexmark suite on MicroBatchRunner, FlinkRunner and DirectRunner, a JVM per run.
      NexmarkBenchmark.run(Path.of("").toAbsolutePath());
    }
    if (which.equals("nexmark-floor")) {
      // Nexmark's own per-event work with no runner, beside ours and Flink's (queries 0, 1, 2).
      NexmarkFloorBenchmark.run(Path.of("").toAbsolutePath());
    }
    if (which.equals("state-at-rest")) {
      long keys = args.length > 2 && elements != 2_000_000 ? elements : 1_000_000;
      System.out.println(StateAtRestBenchmark.run(keys));
    }
    if (which.equals("latency")) {
      // An unbounded generated source through a windowed count, 100 ms batches, 30 s per run; ours
      // also with a checkpoint after every batch (a fresh directory per run).
      for (long rate : new long[] {10_000, 50_000}) {
        System.out.println(LatencyBenchmark.run("MicroBatchRunner", rate, 30, 100, work));
        Files.createDirectories(work);
        Path checkpoints = Files.createTempDirectory(work, "latency-checkpoints-");
        System.out.println(
            LatencyBenchmark.run(
                "MicroBatch+ckpt", "MicroBatchRunner", rate, 30, 100, work,
                List.of("--checkpointDir=" + checkpoints)));
        System.out.println(LatencyBenchmark.run("DirectRunner", rate, 30, 100, work));
      }
      // Then ours with checkpoints at rising rates, to the highest it keeps up with.
      LatencyBenchmark.Result highest =
          LatencyBenchmark.highestSustainable(
              "MicroBatch+ckpt", 100_000, 30, 100, work,
              () -> {
                try {
                  Files.createDirectories(work);
                  return List.of(
                      "--checkpointDir=" + Files.createTempDirectory(work, "latency-checkpoints-"));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      System.out.println("highest sustainable rate with checkpoints: " + highest);
    }
    if (which.equals("latency-ui")) {
      System.out.println(UiLatencyBenchmark.run(work));
    }
    if (which.equals("checkpoint")) {
      // Without and with checkpoints, checkpoint bytes and times, and the restore of the last one.
      System.out.println(CheckpointBenchmark.run(Long.getLong("benchmark.keys", 1_000_000), work));
    }
    if (which.equals("dstream-window")) {
      // The DStream API's reduceByKeyAndWindow with and without its inverse; elements = words per batch.
      System.out.println(
          DStreamWindowBenchmark.run(
              (int) Math.min(elements, 1_000_000), Integer.getInteger("benchmark.vocabulary", 10_000),
              Integer.getInteger("benchmark.batches", 60), Integer.getInteger("benchmark.rounds", 3)));
    }
    if (which.equals("kafka-sink")) {
      // Exactly-once against at-least-once Kafka output; the elements argument is the records.
      System.out.println(KafkaSinkBenchmark.run(elements, work));
    }
    System.out.println();
    System.out.println("Cores: " + Runtime.getRuntime().availableProcessors()
        + ", max heap: " + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
    results.forEach(System.out::println);
  }
}
