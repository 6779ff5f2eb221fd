package dev.microbatch.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The word count a Java programmer would write by hand for two cores: the file cut in two at a line
 * break, each half decoded and counted by its own thread into a map (words are runs of letters, as
 * Beam's example WordCount splits them), the two maps merged, and "word: count" lines written as
 * the example writes them. No framework, no serialization: the floor the runner is held to.
 */
final class HandWrittenWordCount {
  private HandWrittenWordCount() {}

  /** Counts the words of {@code input} into {@code output}; returns the number of distinct words. */
  static int run(Path input, Path output) throws Exception {
    long size = Files.size(input);
    long middle;
    try (FileChannel channel = FileChannel.open(input, StandardOpenOption.READ)) {
      middle = nextLineStart(channel, size / 2, size);
    }
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Map<String, long[]>> first = threads.submit(() -> count(input, 0, middle));
      Future<Map<String, long[]>> second = threads.submit(() -> count(input, middle, size));
      Map<String, long[]> counts = first.get();
      second.get().forEach((word, n) -> counts.computeIfAbsent(word, w -> new long[1])[0] += n[0]);
      try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
        for (Map.Entry<String, long[]> entry : counts.entrySet()) {
          out.write(entry.getKey());
          out.write(": ");
          out.write(Long.toString(entry.getValue()[0]));
          out.newLine();
        }
      }
      return counts.size();
    } finally {
      threads.shutdownNow();
    }
  }

  // The offset just after the first line break at or after `from` (or the end).
  private static long nextLineStart(FileChannel channel, long from, long size) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    for (long at = from; at < size; at++) {
      one.clear();
      channel.read(one, at);
      if (one.get(0) == '\n') {
        return at + 1;
      }
    }
    return size;
  }

  private static Map<String, long[]> count(Path input, long from, long to) throws IOException {
    Map<String, long[]> counts = new HashMap<>();
    byte[] bytes = new byte[(int) (to - from)];
    try (FileChannel channel = FileChannel.open(input, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
        // read on until the range is in
      }
    }
    CharBuffer text = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
    StringBuilder word = new StringBuilder();
    for (int i = 0, n = text.length(); i <= n; i++) {
      char c = i < n ? text.get(i) : ' ';
      if (Character.isLetter(c)) {
        word.append(c);
      } else if (word.length() > 0) {
        counts.computeIfAbsent(word.toString(), w -> new long[1])[0]++;
        word.setLength(0);
      }
    }
    return counts;
  }

  /** The distinct words and the total of the counts in "word: count" files. */
  record Totals(long distinct, long total) {}

  static Totals totals(List<Path> files) throws IOException {
    long distinct = 0;
    long total = 0;
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int colon = line.lastIndexOf(": ");
        if (colon > 0) {
          distinct++;
          total += Long.parseLong(line.substring(colon + 2).trim());
        }
      }
    }
    return new Totals(distinct, total);
  }

  static List<Path> filesStartingWith(Path dir, String prefix) throws IOException {
    List<Path> out = new ArrayList<>();
    try (var list = Files.list(dir)) {
      list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().forEach(out::add);
    }
    return out;
  }
}
