package dev.microbatch.runner.crash;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source's checkpoint marks are finalized (a message queue would acknowledge then) only once a
 * checkpoint covering their batch is durable, and in batch order: with the first checkpoint's
 * write stopped before its manifest, batches go on committing but nothing is finalized.
 */
class FinalizeAfterDurableCheckpointTest {
  @TempDir Path temp;

  private ChildJvm start(String... extra) throws IOException {
    List<String> args = new ArrayList<>();
    args.add("--runner=MicroBatchRunner");
    args.add("--parallelism=2");
    args.add("--batchIntervalMillis=50");
    args.add("--maxRecordsPerBatch=50");
    args.add("--checkpointDir=" + temp.resolve("checkpoints").toUri());
    args.addAll(List.of(extra));
    return ChildJvm.start(FinalizationPipeline.class, args);
  }

  private static List<String> linesStartingWith(ChildJvm child, String prefix) {
    return child.lines().stream().filter(line -> line.startsWith(prefix)).toList();
  }

  @Test
  void nothingIsFinalizedWhileTheCheckpointCoveringItIsNotDurable() throws Exception {
    ChildJvm child = start("--checkpointFailpoint=before-manifest:1");
    try {
      assertTrue(child.awaitLine("FAILPOINT", 120), child::output);
      int seenAtFailpoint = linesStartingWith(child, "SEEN").size();
      // Batches go on reading and committing while the checkpoint write is stopped.
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (linesStartingWith(child, "SEEN").size() < seenAtFailpoint + 5
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(child.output(), linesStartingWith(child, "SEEN").size(), greaterThanOrEqualTo(seenAtFailpoint + 5));
      assertThat(child.output(), linesStartingWith(child, "FINALIZED"), empty());
    } finally {
      child.kill();
    }
  }

  @Test
  void marksAreFinalizedInBatchOrderOnceDurable() throws Exception {
    ChildJvm child = start();
    try {
      assertTrue(child.awaitLine("FINALIZED", 120), child::output);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (linesStartingWith(child, "FINALIZED").size() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    } finally {
      child.kill();
    }
    List<String> finalized = linesStartingWith(child, "FINALIZED");
    assertThat(child.output(), finalized.size(), greaterThanOrEqualTo(5));
    long previous = -1;
    for (String line : finalized) {
      long position = Long.parseLong(line.substring("FINALIZED ".length()));
      assertTrue(position >= previous, () -> "out of order: " + finalized);
      previous = position;
    }
    assertThat(finalized.get(finalized.size() - 1), not("FINALIZED 0"));
  }
}
