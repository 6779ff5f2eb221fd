package dev.microbatch.engine.recovery;

import dev.microbatch.engine.checkpoint.StateCapture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each stateful stage partition's chain of checkpoint files: its last whole capture, then the
 * changes since, oldest first. A partition gets a whole capture next once its changes hold more
 * keys than its whole capture (so a checkpoint's cost follows the keys changed, amortized, and a
 * restore reads about twice the state at most), or after {@code compactAfterChanges} change
 * files. Driver thread only.
 */
final class StateChains {
  private final int parallelism;
  private final int compactAfterChanges;
  private final Map<String, List<List<String>>> chains = new LinkedHashMap<>();
  // Per "stage#partition": keys in the last whole capture, keys in the changes since (unknown for
  // a chain restored from disk until its next whole capture).
  private final Map<String, long[]> entries = new HashMap<>();

  StateChains(int parallelism, int compactAfterChanges) {
    this.parallelism = parallelism;
    this.compactAfterChanges = compactAfterChanges;
  }

  /** Whether the next capture of {@code stage}'s {@code partition} must be whole. */
  boolean needsWholeCapture(String stage, int partition) {
    List<String> chain = chainsOf(stage).get(partition);
    long[] counts = entries.get(stage + "#" + partition);
    return chain.isEmpty()
        || chain.size() > compactAfterChanges
        || (counts != null && counts[1] > counts[0]);
  }

  /** Records the file {@code path} that holds {@code capture} of the partition. */
  void add(String stage, int partition, String path, StateCapture capture) {
    List<List<String>> stageChains = chainsOf(stage);
    List<String> next =
        capture.full() ? new ArrayList<>() : new ArrayList<>(stageChains.get(partition));
    next.add(path);
    stageChains.set(partition, next);
    String key = stage + "#" + partition;
    if (capture.full()) {
      entries.put(key, new long[] {capture.entries(), 0});
    } else if (entries.containsKey(key)) {
      entries.get(key)[1] += capture.entries();
    }
  }

  /** The chains as they stand, for the graph file. */
  Map<String, List<List<String>>> snapshot() {
    Map<String, List<List<String>>> copy = new LinkedHashMap<>();
    chains.forEach((stage, byPartition) -> copy.put(stage, List.copyOf(byPartition)));
    return copy;
  }

  void clear() {
    chains.clear();
    entries.clear();
  }

  /** Continues from the chains of a restored checkpoint. */
  void restored(String stage, List<List<String>> byPartition) {
    chains.put(stage, new ArrayList<>(byPartition));
  }

  private List<List<String>> chainsOf(String stage) {
    return chains.computeIfAbsent(
        stage,
        s -> {
          List<List<String>> empty = new ArrayList<>();
          for (int p = 0; p < parallelism; p++) {
            empty.add(List.of());
          }
          return empty;
        });
  }
}
