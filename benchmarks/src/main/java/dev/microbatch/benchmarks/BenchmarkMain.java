package dev.microbatch.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the batch benchmarks on MicroBatchRunner and Beam's DirectRunner side by side and prints
 * both times and the ratio. Arguments (all optional): {@code wordcount|groupcombine|all},
 * the text size in MB (default 100), the number of generated elements (default 2,000,000).
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "all";
    long textMb = args.length > 1 ? Long.parseLong(args[1]) : 100;
    long elements = args.length > 2 ? Long.parseLong(args[2]) : 2_000_000;
    Path work = Path.of("target", "benchmark-data").toAbsolutePath();
    List<SideBySide.Result> results = new ArrayList<>();
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
              (p, out) -> GroupCombinePipeline.build(p, elements, 100_000, out)));
    }
    System.out.println();
    System.out.println("Cores: " + Runtime.getRuntime().availableProcessors()
        + ", max heap: " + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
    results.forEach(System.out::println);
  }
}
