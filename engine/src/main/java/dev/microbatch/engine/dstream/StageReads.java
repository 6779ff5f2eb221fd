package dev.microbatch.engine.dstream;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which materialized streams each stage and output operation reads in its tasks (up through
 * parents and dependencies until a stream that is a stage of its own), and how many of them read
 * each. A batch drops a stream's data once the last of its readers has run, so a bounded pipeline,
 * which runs as one batch, holds the stages in flight rather than every stage's output until the
 * batch ends.
 */
final class StageReads {
  private final Map<DStream<?>, Set<DStream<?>>> readsOfStage = new IdentityHashMap<>();
  private final Map<OutputOperation<?>, Set<DStream<?>>> readsOfOutput = new IdentityHashMap<>();
  private final Map<DStream<?>, Integer> readers = new IdentityHashMap<>();

  StageReads(List<DStream<?>> streams, List<OutputOperation<?>> outputs, Predicate<DStream<?>> isStage) {
    for (DStream<?> stream : streams) {
      if (isStage.test(stream)) {
        Set<DStream<?>> reads = readsBelow(stream, isStage);
        readsOfStage.put(stream, reads);
        count(reads);
      }
    }
    for (OutputOperation<?> output : outputs) {
      Set<DStream<?>> reads =
          isStage.test(output.stream())
              ? Set.of(output.stream())
              : readsBelow(output.stream(), isStage);
      readsOfOutput.put(output, reads);
      count(reads);
    }
  }

  /** The stages {@code stage}'s tasks read (empty for one that is not a stage). */
  Set<DStream<?>> readBy(DStream<?> stage) {
    return readsOfStage.getOrDefault(stage, Set.of());
  }

  Set<DStream<?>> readBy(OutputOperation<?> output) {
    return readsOfOutput.getOrDefault(output, Set.of());
  }

  /** How many stages and output operations read {@code stream}'s materialized data. */
  int readers(DStream<?> stream) {
    return readers.getOrDefault(stream, 0);
  }

  private void count(Set<DStream<?>> reads) {
    for (DStream<?> read : reads) {
      readers.merge(read, 1, Integer::sum);
    }
  }

  /** The stages reached from {@code from}'s parents and dependencies through fused streams. */
  private static Set<DStream<?>> readsBelow(DStream<?> from, Predicate<DStream<?>> isStage) {
    Set<DStream<?>> reads = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<DStream<?>> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<DStream<?>> pending = new ArrayDeque<>();
    pushUpstream(from, pending);
    while (!pending.isEmpty()) {
      DStream<?> next = pending.pop();
      if (!visited.add(next)) {
        continue;
      }
      if (isStage.test(next)) {
        reads.add(next);
      } else {
        pushUpstream(next, pending);
      }
    }
    return reads;
  }

  private static void pushUpstream(DStream<?> stream, Deque<DStream<?>> pending) {
    stream.parents().forEach(pending::push);
    stream.dependencies().forEach(pending::push);
  }
}
