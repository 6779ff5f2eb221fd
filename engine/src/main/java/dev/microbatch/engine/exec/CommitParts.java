package dev.microbatch.engine.exec;

import dev.microbatch.engine.metrics.Accumulator;
import dev.microbatch.engine.state.BatchVersioned;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a batch's stages and tasks hand to its commit: the accumulator parts of its finished tasks
 * (merged as they finish), the state it changed provisionally, and the actions to run once it has
 * committed. A failed batch rolls its provisional state back instead.
 */
final class CommitParts {
  private final Map<Accumulator<?>, Object> accumulatorParts = new IdentityHashMap<>();
  private final List<BatchVersioned> versioned = new ArrayList<>();
  private final List<Runnable> afterCommit = new ArrayList<>();

  /** Merges what one finished task added to each accumulator; any thread. */
  void absorb(Map<Accumulator<?>, Object> taskParts) {
    taskParts.forEach(
        (accumulator, part) -> {
          addAttempted(accumulator, part);
          synchronized (accumulatorParts) {
            mergePart(accumulator, part);
          }
        });
  }

  /** The merged accumulator parts so far, copied; any thread. */
  Map<Accumulator<?>, Object> accumulatorParts() {
    synchronized (accumulatorParts) {
      return new IdentityHashMap<>(accumulatorParts);
    }
  }

  /** Registers state the batch changes provisionally; batch thread. */
  void versioned(BatchVersioned state) {
    versioned.add(state);
  }

  /** The state the batch changed provisionally, to commit; batch thread. */
  List<BatchVersioned> versionedState() {
    return versioned;
  }

  /** Discards the provisional changes of a failed batch; batch thread, once no task runs. */
  void rollBack() {
    versioned.forEach(BatchVersioned::rollback);
  }

  /** Registers an action to run once the batch has committed; any thread. */
  void afterCommit(Runnable action) {
    synchronized (afterCommit) {
      afterCommit.add(action);
    }
  }

  /** The actions registered so far, copied; any thread. */
  List<Runnable> afterCommitActions() {
    synchronized (afterCommit) {
      return List.copyOf(afterCommit);
    }
  }

  @SuppressWarnings("unchecked")
  private static <V> void addAttempted(Accumulator<V> accumulator, Object part) {
    accumulator.addAttempted((V) part);
  }

  @SuppressWarnings("unchecked")
  private <V> void mergePart(Accumulator<V> accumulator, Object part) {
    V existing = (V) accumulatorParts.get(accumulator);
    if (existing == null) {
      existing = accumulator.newPart();
      accumulatorParts.put(accumulator, existing);
    }
    accumulator.merge(existing, (V) part);
  }
}
