package dev.microbatch.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.examples.WordCount;

/**
 * Beam's own example WordCount ({@code org.apache.beam.examples.WordCount}, unmodified, from the
 * published examples jar) on MicroBatchRunner against {@link HandWrittenWordCount} over the same
 * generated text, in one JVM: a warm-up of each, then rounds of A (hand-written) and B (Beam) one
 * after the other; each round's time ratio B / A, and whether both counted the same words.
 */
final class WordCountVsHandWritten {
  private WordCountVsHandWritten() {}

  static void run(Path work, long textMb, int rounds) throws Exception {
    Path text = TextGenerator.generate(work.resolve("text-" + textMb + "mb.txt"), textMb << 20, 50_000, 42);
    System.out.printf(
        Locale.ROOT, "word count of %s (%,d bytes): hand-written two-thread Java (A) against Beam's"
            + " example WordCount on MicroBatchRunner (B)%n", text.getFileName(), Files.size(text));
    Path out = Files.createDirectories(work.resolve("wordcount-vs-hand"));
    handWritten(text, out);
    beam(text, out);
    List<Double> ratios = new ArrayList<>();
    HandWrittenWordCount.Totals a = null;
    HandWrittenWordCount.Totals b = null;
    for (int round = 1; round <= rounds; round++) {
      long handMillis = handWritten(text, out);
      a = HandWrittenWordCount.totals(List.of(out.resolve("hand.txt")));
      long beamMillis = beam(text, out);
      b = HandWrittenWordCount.totals(HandWrittenWordCount.filesStartingWith(out, "counts"));
      double ratio = (double) beamMillis / handMillis;
      ratios.add(ratio);
      System.out.printf(
          Locale.ROOT, "round %d | A hand-written %,6d ms | B Beam WordCount %,6d ms | B/A %.2f%n",
          round, handMillis, beamMillis, ratio);
    }
    ratios.sort(Double::compare);
    double median = ratios.get(ratios.size() / 2);
    boolean agree = a.equals(b);
    System.out.printf(
        Locale.ROOT,
        "counts: hand-written %,d words (%,d distinct), Beam %,d words (%,d distinct): %s%n",
        a.total(), a.distinct(), b.total(), b.distinct(), agree ? "agree" : "DIFFER");
    System.out.printf(
        Locale.ROOT,
        "SUMMARY wordcount-vs-hand-written %d MB: Beam WordCount on MicroBatchRunner takes %.2fx the"
            + " hand-written time (median of %d rounds; goal <= 3.00); counts %s%n",
        textMb, median, rounds, agree ? "agree" : "DIFFER");
  }

  private static long handWritten(Path text, Path out) throws Exception {
    long started = System.nanoTime();
    HandWrittenWordCount.run(text, out.resolve("hand.txt"));
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static long beam(Path text, Path out) throws Exception {
    for (Path old : HandWrittenWordCount.filesStartingWith(out, "counts")) {
      Files.delete(old);
    }
    long started = System.nanoTime();
    WordCount.main(
        new String[] {
          "--runner=MicroBatchRunner", "--inputFile=" + text, "--output=" + out.resolve("counts")
        });
    return (System.nanoTime() - started) / 1_000_000;
  }
}
