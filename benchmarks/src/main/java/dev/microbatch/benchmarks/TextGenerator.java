package dev.microbatch.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a deterministic text of about the requested size: lines of words drawn from a skewed
 * vocabulary, so that a few words are very common and many are rare, like natural text.
 */
final class TextGenerator {
  private TextGenerator() {}

  static Path generate(Path file, long targetBytes, int vocabulary, long seed) throws IOException {
    if (Files.exists(file) && Files.size(file) >= targetBytes) {
      return file;
    }
    Files.createDirectories(file.getParent());
    String[] words = new String[vocabulary];
    Random random = new Random(seed);
    for (int i = 0; i < vocabulary; i++) {
      words[i] = word(random, i);
    }
    long written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      while (written < targetBytes) {
        line.setLength(0);
        int count = 6 + random.nextInt(10);
        for (int w = 0; w < count; w++) {
          // Squaring a uniform draw skews the choice toward the start of the vocabulary.
          double u = random.nextDouble();
          line.append(words[(int) (u * u * vocabulary)]).append(w + 1 < count ? " " : "");
        }
        line.append('\n');
        out.write(line.toString());
        written += line.length();
      }
    }
    return file;
  }

  private static String word(Random random, int index) {
    int length = 2 + random.nextInt(8);
    StringBuilder word = new StringBuilder(length + 4);
    for (int i = 0; i < length; i++) {
      word.append((char) ('a' + random.nextInt(26)));
    }
    return word.append(index % 10).toString();
  }
}
