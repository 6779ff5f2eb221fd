package dev.microbatch.engine.dstream;

import dev.microbatch.engine.shuffle.ShuffleBlock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link SharedPass} as one stage: in each task the shared stream's partition is computed
 * once and read by every write's chain ({@link TeeReaders}), each element written to its write's
 * blocks as it comes.
 */
public final class SharedPassStage {
  private SharedPassStage() {}

  /** The shuffle writes of {@code stream}'s shared pass, or empty when it is in none. */
  public static List<DStream<?>> writesRunWith(StreamGraph graph, DStream<?> stream) {
    SharedPass pass = graph.sharedPassEndingIn(stream);
    return pass == null || !pass.writes().contains(stream) ? List.of() : List.copyOf(pass.writes());
  }

  /** Runs the pass {@code write} belongs to: each write's batch, by write. */
  public static Map<DStream<?>, Partitions<?>> run(
      StreamGraph graph, DStream<?> write, StageScope scope) {
    return runPass(graph.sharedPassEndingIn(write), scope);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <S> Map<DStream<?>, Partitions<?>> runPass(SharedPass pass, StageScope scope) {
    DStream<S> shared = (DStream<S>) pass.shared();
    List<ShuffleWriteDStream<Object>> writes = (List) pass.writes();
    int n = scope.numPartitions();
    List<List<List<ShuffleBlock<Object>>>> byTask = scope.runTasks(task -> runTask(shared, writes, task, n));
    Map<DStream<?>, Partitions<?>> results = new IdentityHashMap<>();
    for (int w = 0; w < writes.size(); w++) {
      List<List<ShuffleBlock<Object>>> mapOutputs = new ArrayList<>(byTask.size());
      for (List<List<ShuffleBlock<Object>>> task : byTask) {
        mapOutputs.add(task.get(w));
      }
      results.put(writes.get(w), ShuffleWriteDStream.byReducer(mapOutputs, n));
    }
    return results;
  }

  private static <S> List<List<ShuffleBlock<Object>>> runTask(
      DStream<S> shared, List<ShuffleWriteDStream<Object>> writes, TaskContext task, int n)
      throws Exception {
    TeeReaders<S> readers = new TeeReaders<>(shared, writes.size(), task);
    List<List<ShuffleBlock<Object>>> blocks = new ArrayList<>(writes.size());
    for (ShuffleWriteDStream<Object> write : writes) {
      readers.addChain(write.parent(), task);
      blocks.add(write.newBlocks(n));
    }
    while (readers.advance()) {
      int from = readers.from();
      writes.get(from).write(blocks.get(from), readers.take());
    }
    return blocks;
  }
}
