package dev.microbatch.engine.dstream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The order in which a batch runs its stages: in waves, by depth in the graph (the longest path
 * from an input, through parents and dependencies), across every output operation; streams of
 * equal depth in the order they were created. Running one output's whole upstream before the next
 * output's would make an independent branch wait for every stage of the branches before it, their
 * side effects included: a source polled by a splittable DoFn, for example, would be polled only
 * after a deeper stage of another branch had already changed what it sees. In waves, stages at
 * the same depth run as close together in time as a record-at-a-time runner would run them.
 */
final class StageWaves {
  private StageWaves() {}

  /** The streams that {@code isStage} accepts, upstream of {@code outputs}, in waves. */
  static List<DStream<?>> of(List<OutputOperation<?>> outputs, Predicate<DStream<?>> isStage) {
    Map<DStream<?>, Integer> depths = new IdentityHashMap<>();
    for (OutputOperation<?> output : outputs) {
      depth(output.stream(), depths);
    }
    List<DStream<?>> stages = new ArrayList<>();
    for (DStream<?> stream : depths.keySet()) {
      if (isStage.test(stream)) {
        stages.add(stream);
      }
    }
    stages.sort(
        Comparator.comparingInt((DStream<?> s) -> depths.get(s)).thenComparingInt(DStream::id));
    return List.copyOf(stages);
  }

  private static int depth(DStream<?> stream, Map<DStream<?>, Integer> depths) {
    Integer known = depths.get(stream);
    if (known != null) {
      return known;
    }
    int depth = 0;
    for (DStream<?> upstream : upstreamOf(stream)) {
      depth = Math.max(depth, depth(upstream, depths) + 1);
    }
    depths.put(stream, depth);
    return depth;
  }

  private static List<DStream<?>> upstreamOf(DStream<?> stream) {
    List<DStream<?>> upstream = new ArrayList<>(stream.parents());
    upstream.addAll(stream.dependencies());
    return upstream;
  }
}
