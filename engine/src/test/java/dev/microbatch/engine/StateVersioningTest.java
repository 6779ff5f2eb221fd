package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.state.BatchVersioned;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stateful stage's {@link BatchVersioned} state commits with each batch that commits and rolls
 * back when a batch fails: a failed batch leaves its state as of the last
 * commit.
 */
class StateVersioningTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  /** A running sum with a committed copy: what commit and rollback did, in order. */
  private static final class VersionedSum implements BatchVersioned {
    private final List<String> log;
    private int sum;
    private int committed;

    VersionedSum(List<String> log) {
      this.log = log;
    }

    @Override
    public void commit(long batchId) {
      committed = sum;
      log.add("commit " + batchId + ": " + sum);
    }

    @Override
    public void rollback() {
      sum = committed;
      log.add("rollback to " + sum);
    }
  }

  @Test
  void aFailedBatchRollsTheStageStateBackToItsLastCommit() {
    harness = EngineHarness.create("versioned", 1);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    harness.collect(
        harness
            .queue(List.of(1, 2), List.of(3, -1))
            .stateful(
                "sum",
                (input, state, time, task) -> {
                  List<Integer> out = new ArrayList<>();
                  while (input.hasNext()) {
                    int x = input.next();
                    state.sum += x;
                    if (x < 0) {
                      throw new IllegalStateException("negative input");
                    }
                    out.add(state.sum);
                  }
                  return new StageOutput<>(out, Watermarks.MAX);
                },
                () -> new VersionedSum(log)));
    harness.start();
    harness.awaitBatches(1);

    harness.tick();
    assertThrows(StreamingFailedException.class, harness::awaitTermination);

    // Batch 2 had added 3 and -1 before failing: its rollback returns to batch 1's sum.
    assertThat(log, contains("commit 1: 3", "rollback to 3"));
  }
}
