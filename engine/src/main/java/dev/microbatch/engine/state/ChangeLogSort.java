package dev.microbatch.engine.state;

import java.util.Arrays;
import java.util.List;

/**
 * The newest record of each key in a list of {@link ChangeLog}s (oldest first), in ascending
 * order of the key bytes (unsigned), as the capture layout wants them ({@link KeyOrder}: most
 * records are ordered by the key prefixes the logs keep, without reading a record).
 */
final class ChangeLogSort {
  private ChangeLogSort() {}

  /** Each key's newest record, in key order, as {@code log << 32 | record}. */
  static long[] newestByKey(List<ChangeLog> logs) {
    int total = 0;
    for (ChangeLog log : logs) {
      total += log.records();
    }
    // Every record's place, in the logs' order: among equal keys, the later one is newer.
    long[] places = new long[total];
    int global = 0;
    for (int l = 0; l < logs.size(); l++) {
      for (int r = 0; r < logs.get(l).records(); r++) {
        places[global++] = ((long) l << 32) | r;
      }
    }
    int[] order =
        KeyOrder.sort(
            total,
            i -> logOf(logs, places[i]).prefix((int) places[i]),
            (a, b) -> compare(logs, places[a], places[b]));
    long[] newest = new long[total];
    int kept = 0;
    for (int i = 0; i < total; i++) {
      long at = places[order[i]];
      // Equal keys are adjacent, oldest first: a record is kept when the next one has another key.
      if (i + 1 < total && sameKey(logs, at, places[order[i + 1]])) {
        continue;
      }
      newest[kept++] = at;
    }
    return Arrays.copyOf(newest, kept);
  }

  private static boolean sameKey(List<ChangeLog> logs, long a, long b) {
    return logOf(logs, a).prefix((int) a) == logOf(logs, b).prefix((int) b) && compare(logs, a, b) == 0;
  }

  private static int compare(List<ChangeLog> logs, long a, long b) {
    return ChangeLog.compareKeys(logOf(logs, a), (int) a, logOf(logs, b), (int) b);
  }

  private static ChangeLog logOf(List<ChangeLog> logs, long place) {
    return logs.get((int) (place >>> 32));
  }
}
