package dev.microbatch.engine.recovery;

import dev.microbatch.engine.checkpoint.CheckpointWriter;
import dev.microbatch.engine.checkpoint.StateCapture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Each stateful stage partition's chain of checkpoint files: its last whole file, then the changes
 * since, oldest first. Only a partition's first capture is whole; after that the driver captures
 * changes only, and a chain is compacted off the batch path instead: the checkpoint thread merges
 * it into one whole file ({@link ChainCompaction}). A chain is due for compaction once its changes
 * hold {@link #CHANGED_KEYS_PER_WHOLE} times the keys of its whole file, or after {@code
 * compactAfterChanges} change files. So the cost of checkpoints, amortized, follows the keys
 * changed: a compaction rewrites the whole state once per that many keys changed. A restore reads
 * at most that many times the state again and merges the chain before it applies it, each key once.
 * On a machine with few cores the checkpoint thread's time is taken from the batches. One chain
 * is compacted per checkpoint, the most overdue, so partitions that fill up together do not all
 * rewrite their state in the same checkpoint; a chain twice past its limits is compacted in the
 * next checkpoint whatever else is. Driver thread only, but for {@link #compacted}.
 */
final class StateChains {
  private static final long UNKNOWN = -1;
  // Changed keys, as a multiple of the keys of the whole file, that make a chain due.
  private static final int CHANGED_KEYS_PER_WHOLE = 4;

  private final int parallelism;
  private final int compactAfterChanges;
  private final Map<String, List<List<String>>> chains = new LinkedHashMap<>();
  // Per "stage#partition": keys in the whole file (UNKNOWN for a chain restored from disk or being
  // compacted), keys in the changes since.
  private final Map<String, long[]> entries = new HashMap<>();
  // Whole files the checkpoint thread merged, with their keys, until the driver reads them.
  private final Queue<Merged> merged = new ConcurrentLinkedQueue<>();

  /** A whole file the checkpoint thread wrote by merging a chain. */
  private record Merged(String stage, int partition, String path, long keys) {}

  /** A chain to merge into one whole file, {@code fileName} of the batch, at {@code path}. */
  record Compaction(String stage, int partition, List<String> chain, String fileName, String path) {}

  StateChains(int parallelism, int compactAfterChanges) {
    this.parallelism = parallelism;
    this.compactAfterChanges = compactAfterChanges;
  }

  /** Whether the next capture of {@code stage}'s {@code partition} must be whole: its first. */
  boolean needsWholeCapture(String stage, int partition) {
    return chainsOf(stage).get(partition).isEmpty();
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
    } else {
      entries.computeIfAbsent(key, k -> new long[] {UNKNOWN, 0})[1] += capture.entries();
    }
  }

  /**
   * The chains to compact in this checkpoint, each replaced at once by the whole file its merge
   * will write (a file of batch {@code batchId}, {@code nameOf} names it), so the checkpoint's
   * graph already lists that file.
   */
  List<Compaction> scheduleCompactions(long batchId, NameOfWhole nameOf) {
    drainMerged();
    List<Compaction> scheduled = new ArrayList<>();
    String worstStage = null;
    int worstPartition = -1;
    double worst = 1;
    for (Map.Entry<String, List<List<String>>> stage : chains.entrySet()) {
      for (int p = 0; p < parallelism; p++) {
        double overdue = overdue(stage.getKey(), p, stage.getValue().get(p));
        if (overdue >= 2) {
          scheduled.add(compact(stage.getKey(), p, batchId, nameOf));
        } else if (overdue >= worst) {
          worst = overdue;
          worstStage = stage.getKey();
          worstPartition = p;
        }
      }
    }
    if (scheduled.isEmpty() && worstStage != null) {
      scheduled.add(compact(worstStage, worstPartition, batchId, nameOf));
    }
    return scheduled;
  }

  /** Names the whole file a compaction of {@code stage}'s {@code partition} writes. */
  interface NameOfWhole {
    String of(String stage, int partition);
  }

  /** The checkpoint thread merged a chain into {@code path}, holding {@code keys} keys. */
  void compacted(String stage, int partition, String path, long keys) {
    merged.add(new Merged(stage, partition, path, keys));
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
    merged.clear();
  }

  /** Continues from the chains of a restored checkpoint. */
  void restored(String stage, List<List<String>> byPartition) {
    chains.put(stage, new ArrayList<>(byPartition));
  }

  /**
   * How far past its limits a chain is: 1 at a limit, 2 at twice; 0 when it cannot be compacted
   * (a whole file alone, or one still being merged).
   */
  private double overdue(String stage, int partition, List<String> chain) {
    if (chain.size() < 2) {
      return 0;
    }
    double byFiles = (double) (chain.size() - 1) / compactAfterChanges;
    long[] counts = entries.get(stage + "#" + partition);
    double byKeys =
        counts == null || counts[0] == UNKNOWN ? 0 : (double) counts[1] / Math.max(1, CHANGED_KEYS_PER_WHOLE * counts[0]);
    return Math.max(byFiles, byKeys);
  }

  private Compaction compact(String stage, int partition, long batchId, NameOfWhole nameOf) {
    List<List<String>> stageChains = chainsOf(stage);
    String fileName = nameOf.of(stage, partition);
    String path = CheckpointWriter.dataPath(batchId, fileName);
    Compaction compaction =
        new Compaction(stage, partition, stageChains.get(partition), fileName, path);
    stageChains.set(partition, List.of(path));
    entries.put(stage + "#" + partition, new long[] {UNKNOWN, 0});
    return compaction;
  }

  /** Learns the keys of the whole files merged since, for chains that still start with them. */
  private void drainMerged() {
    for (Merged m = merged.poll(); m != null; m = merged.poll()) {
      List<String> chain = chains.containsKey(m.stage()) ? chainsOf(m.stage()).get(m.partition()) : List.of();
      long[] counts = entries.get(m.stage() + "#" + m.partition());
      if (!chain.isEmpty() && chain.get(0).equals(m.path()) && counts != null) {
        counts[0] = m.keys();
      }
    }
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
