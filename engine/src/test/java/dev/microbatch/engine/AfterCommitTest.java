package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.BatchListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Actions a task registers run once its batch has committed, and never for a failed batch; a
 * failing action or close hook fails the run instead of passing silently.
 */
class AfterCommitTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void actionsRunAfterTheirBatchCommitsAndNotForAFailedOne() {
    harness = EngineHarness.finite("after-commit", 2);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    harness.context().addBatchListener(
        new BatchListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            events.add("completed " + batch.batchId());
          }
        });
    harness
        .finiteQueue(List.of(1, 2), List.of(3), List.of(4))
        .foreachPartition(
            (partition, task) -> {
              while (partition.hasNext()) {
                int value = partition.next();
                if (value == 4) {
                  throw new IllegalStateException("batch 3 fails");
                }
                task.afterCommit(() -> events.add("after commit of " + value));
              }
            });
    harness.start();

    harness.context().awaitStopped(EngineHarness.TIMEOUT);

    // The driver runs a batch's actions as part of committing it, before listeners hear of it.
    List<String> sorted = new ArrayList<>(events);
    assertThat(
        sorted.subList(0, 3).stream().sorted().toList(),
        contains("after commit of 1", "after commit of 2", "completed 1"));
    assertThat(sorted.subList(3, sorted.size()), contains("after commit of 3", "completed 2"));
  }

  @Test
  void failingActionsFailTheRunAfterEveryActionOfTheBatchRan() {
    harness = EngineHarness.finite("after-commit-fails", 2);
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    harness
        .finiteQueue(List.of(1, 2, 3, 4), List.of(5))
        .foreachPartition(
            (partition, task) -> {
              while (partition.hasNext()) {
                int value = partition.next();
                task.afterCommit(
                    () -> {
                      ran.add("action " + value);
                      if (value % 2 == 0) {
                        throw new IllegalStateException("finalizing " + value + " failed");
                      }
                    });
              }
            });
    harness.start();

    StreamingFailedException failed =
        assertThrows(StreamingFailedException.class, harness::awaitTermination);

    // Batch 1 committed and ran all four actions; the run then failed, so batch 2 never ran.
    assertThat(ran.stream().sorted().toList(),
        contains("action 1", "action 2", "action 3", "action 4"));
    assertThat(failed.getCause().getMessage(), containsString("failed"));
    assertThat(failed.getCause().getSuppressed().length, is(1));
    assertThat(harness.listener().completed().size(), is(1));
  }

  @Test
  void aFailingCloseHookFailsARunThatSucceeded() {
    harness = EngineHarness.finite("close-hook-fails", 1);
    IllegalStateException teardown = new IllegalStateException("teardown failed");
    harness.context().addCloseHook(() -> {
      throw teardown;
    });
    harness.collect(harness.finiteQueue(List.of(1)));
    harness.start();

    StreamingFailedException failed =
        assertThrows(StreamingFailedException.class, harness::awaitTermination);

    assertThat(failed.getCause(), sameInstance(teardown));
  }
}
