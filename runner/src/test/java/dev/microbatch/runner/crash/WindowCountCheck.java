package dev.microbatch.runner.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks the window counts of {@link KafkaExactlyOncePipeline} (lines {@code key window-start
 * count pane-index}) against the input: for each key and window, panes 0 to n-1 each exactly once
 * and their counts adding up to the records of that key in that window. A lost record makes a sum
 * short, a duplicated pane shows twice, and a pane of a replay that differs from the one written
 * before a crash shows as a gap, a repeated index or a wrong sum.
 */
final class WindowCountCheck {
  private final Map<String, Long> expected = new TreeMap<>();

  /** From the input's keys and event times (milliseconds). */
  WindowCountCheck(Map<String, List<Long>> timestampsByKey, long windowMillis) {
    timestampsByKey.forEach(
        (key, times) -> {
          for (long time : times) {
            expected.merge(key + " " + Math.floorDiv(time, windowMillis) * windowMillis, 1L, Long::sum);
          }
        });
  }

  /** The sum of all counts the input makes. */
  long total() {
    return expected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The sum of the counts in {@code lines}. */
  static long sumOf(List<String> lines) {
    long sum = 0;
    for (String line : lines) {
      sum += Long.parseLong(line.split(" ")[2]);
    }
    return sum;
  }

  /** Every window whose panes are wrong, with what was seen; empty if all are right. */
  Map<String, String> problems(List<String> lines) {
    Map<String, Long> sums = new HashMap<>();
    Map<String, List<Integer>> panes = new HashMap<>();
    for (String line : lines) {
      String[] parts = line.split(" ");
      String window = parts[0] + " " + parts[1];
      sums.merge(window, Long.parseLong(parts[2]), Long::sum);
      panes.computeIfAbsent(window, w -> new ArrayList<>()).add(Integer.parseInt(parts[3]));
    }
    Map<String, String> wrong = new TreeMap<>();
    TreeSet<String> windows = new TreeSet<>(expected.keySet());
    windows.addAll(sums.keySet());
    for (String window : windows) {
      long want = expected.getOrDefault(window, 0L);
      long got = sums.getOrDefault(window, 0L);
      List<Integer> seen = new ArrayList<>(panes.getOrDefault(window, List.of()));
      seen.sort(null);
      boolean panesRight = true;
      for (int i = 0; i < seen.size(); i++) {
        panesRight &= seen.get(i) == i;
      }
      if (want != got || !panesRight) {
        wrong.put(window, "expected " + want + ", counted " + got + " in panes " + seen);
      }
    }
    return wrong;
  }
}
