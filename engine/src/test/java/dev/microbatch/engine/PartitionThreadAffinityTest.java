package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A partition's tasks run on one thread, batch after batch, and partitions on different threads. */
class PartitionThreadAffinityTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void everyBatchRunsAPartitionOnTheSameThread() {
    harness = EngineHarness.finite("affinity", 3);
    Map<Integer, Set<String>> threadsByPartition = new ConcurrentHashMap<>();
    harness
        .finiteQueue(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7, 8, 9), List.of(10, 11, 12))
        .map(x -> x * 2)
        .foreachPartition(
            (partition, task) -> {
              partition.forEachRemaining(x -> {});
              threadsByPartition
                  .computeIfAbsent(task.partition(), p -> ConcurrentHashMap.newKeySet())
                  .add(Thread.currentThread().getName());
            });
    harness.start();

    harness.awaitTermination();

    Set<String> allThreads = ConcurrentHashMap.newKeySet();
    for (Set<String> threads : threadsByPartition.values()) {
      assertThat(threads, hasSize(1));
      allThreads.addAll(threads);
    }
    assertThat(allThreads, hasSize(3));
  }
}
