package dev.microbatch.engine.recovery;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.exec.WorkerPool;
import java.util.ArrayList;
import java.util.List;

/** The capture step of a checkpoint: every stateful stage's partitions, each on its own worker. */
final class PartitionCaptures {
  private PartitionCaptures() {}

  /**
   * Every stage's capture, by partition then stage (null where nothing changed): each partition's
   * on its own worker thread when there are workers, where its state lives and is warm in cache.
   */
  static List<List<StateCapture>> capture(
      List<String> stages,
      CheckpointUnits units,
      StateChains chains,
      int parallelism,
      WorkerPool workers) {
    List<List<CheckpointedState>> states = new ArrayList<>();
    List<List<Boolean>> whole = new ArrayList<>();
    for (String stage : stages) {
      states.add(units.statesOf(stage));
      List<Boolean> wholeOfStage = new ArrayList<>();
      for (int p = 0; p < parallelism; p++) {
        wholeOfStage.add(chains.needsWholeCapture(stage, p));
      }
      whole.add(wholeOfStage);
    }
    List<WorkerPool.Task<List<StateCapture>>> tasks = new ArrayList<>();
    for (int p = 0; p < parallelism; p++) {
      int partition = p;
      tasks.add(
          () -> {
            List<StateCapture> ofPartition = new ArrayList<>(stages.size());
            for (int s = 0; s < stages.size(); s++) {
              ofPartition.add(states.get(s).get(partition).capture(whole.get(s).get(partition)));
            }
            return ofPartition;
          });
    }
    if (workers != null) {
      return workers.runAll(tasks, () -> false);
    }
    List<List<StateCapture>> results = new ArrayList<>();
    for (WorkerPool.Task<List<StateCapture>> task : tasks) {
      try {
        results.add(task.call());
      } catch (Exception e) {
        throw new IllegalStateException("Capturing the state for a checkpoint failed", e);
      }
    }
    return results;
  }
}
