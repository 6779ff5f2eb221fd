package dev.microbatch.engine.dstream;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One stream read by several chains of fused operators in one pass per task, instead of being
 * materialized for its several readers (held whole, as objects or encoded and decoded once per
 * reader). The chains end either in shuffle writes, then run as one stage ({@link
 * SharedPassStage}), or in one union, which interleaves them ({@link UnionDStream}): batch
 * Nexmark's winning-bids join (queries 4, 6, 9) reads its windowed events by an auction branch and
 * a bid branch that a union joins before the shuffle.
 *
 * <p>Found when the graph freezes: the shared stream is not cached, not a dependency, has no
 * dependencies, is not a stage of its own (an input read inside its consumer's stage may be) and
 * is read only by streams; from each of its readers, operators with one parent, one reader and no
 * dependencies lead to the chain's end.
 *
 * @param writes the shuffle writes at the chains' ends; empty when a union joins them
 * @param union the union the chains end in; null when they end in shuffle writes
 */
record SharedPass(DStream<?> shared, List<ShuffleWriteDStream<?>> writes, DStream<?> union) {
  /** The shared passes of a graph. */
  static List<SharedPass> of(
      List<DStream<?>> streams,
      Map<DStream<?>, Integer> consumers,
      Set<DStream<?>> dependencyTargets) {
    Finder finder = new Finder(streams, consumers, dependencyTargets);
    List<SharedPass> passes = new ArrayList<>();
    for (DStream<?> stream : streams) {
      SharedPass pass = finder.passFrom(stream);
      if (pass != null) {
        passes.add(pass);
      }
    }
    return passes;
  }

  private record Finder(
      List<DStream<?>> streams,
      Map<DStream<?>, Integer> consumers,
      Set<DStream<?>> dependencyTargets,
      Map<DStream<?>, List<DStream<?>>> children) {
    Finder(List<DStream<?>> streams, Map<DStream<?>, Integer> consumers, Set<DStream<?>> targets) {
      this(streams, consumers, targets, new IdentityHashMap<>());
      for (DStream<?> stream : streams) {
        for (DStream<?> parent : stream.parents()) {
          children.computeIfAbsent(parent, p -> new ArrayList<>()).add(stream);
        }
      }
    }

    SharedPass passFrom(DStream<?> stream) {
      List<DStream<?>> readers = children.getOrDefault(stream, List.of());
      int count = consumers.getOrDefault(stream, 0);
      if (count < 2
          || readers.size() != count // an output operation reads it too
          || !isFusable(stream)
          || stream.isStageBoundaryNode() && !isReadInStage(stream)) {
        return null;
      }
      List<ShuffleWriteDStream<?>> writes = new ArrayList<>();
      DStream<?> union = null;
      for (DStream<?> reader : readers) {
        DStream<?> end = chainEnd(reader);
        if (end instanceof ShuffleWriteDStream<?> write && union == null) {
          writes.add(write);
        } else if (end instanceof UnionDStream<?> && writes.isEmpty() && (union == null || union == end)) {
          union = end;
        } else {
          return null;
        }
      }
      if (union != null && union.parents().size() != count) {
        return null; // the union reads other streams too
      }
      return new SharedPass(stream, List.copyOf(writes), union);
    }

    /**
     * Where the chain from {@code reader} ends: a shuffle write or a union reached through
     * fusable operators with one parent and one reader; null for any other end.
     */
    private DStream<?> chainEnd(DStream<?> reader) {
      DStream<?> current = reader;
      while (isFusable(current)) {
        if (current instanceof UnionDStream<?>) {
          return current;
        }
        if (current.parents().size() != 1) {
          return null;
        }
        if (current instanceof ShuffleWriteDStream<?>) {
          return current;
        }
        List<DStream<?>> next = children.getOrDefault(current, List.of());
        if (current.isStageBoundaryNode()
            || next.size() != 1
            || consumers.getOrDefault(current, 0) != 1) {
          return null;
        }
        current = next.get(0);
      }
      return null;
    }

    private boolean isFusable(DStream<?> stream) {
      return !stream.isCached()
          && !dependencyTargets.contains(stream)
          && stream.dependencies().isEmpty();
    }

    private static boolean isReadInStage(DStream<?> stream) {
      return stream instanceof InputDStream<?> input && input.isReadInConsumerStage();
    }
  }
}
