package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.BatchListener;
import dev.microbatch.engine.listener.BatchLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What listeners hear of a failed batch, and the engine's warning when batches fall behind. (The
 * logging context set for a batch's tasks is not visible here: slf4j-simple's MDC does nothing.)
 */
class BatchLoggingTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void listenersHearOfEachFailedAttemptAndWhetherItIsRunAgain() {
    harness = EngineHarness.finite("failed", 1);
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    harness.context().addBatchListener(
        new BatchListener() {
          @Override
          public void onBatchFailed(BatchInfo batch, Throwable failure, boolean retried) {
            failures.add(batch.batchId() + ":" + failure.getMessage() + ":" + retried);
          }
        });
    harness
        .finiteQueue(List.of(1))
        .foreachPartition(
            (partition, task) -> {
              throw new IllegalStateException("boom");
            });
    harness.start();

    assertThrows(StreamingFailedException.class, harness::awaitTermination);
    // One attempt (the harness does not retry), reported as final.
    assertThat(failures, hasSize(1));
    assertThat(failures, everyItem(containsString("boom:false")));
  }

  /**
   * A batch that waited longer than the interval to start is warned of, at most once per ten
   * seconds of batch time, with the late batches counted in between; on time, nothing.
   */
  @Test
  void fallingBehindIsWarnedOfAtMostEveryTenSeconds() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      BatchLog log = new BatchLog("late-pipeline", 1_000);
      // batch id, batch time, submitted, started, finished, in, out: started - submitted is the delay.
      log.onBatchCompleted(new BatchInfo(1, 1_000, 1_000, 1_500, 1_600, 10, 10));
      log.onBatchCompleted(new BatchInfo(2, 2_000, 2_000, 3_500, 3_600, 10, 10));
      log.onBatchCompleted(new BatchInfo(3, 3_000, 3_000, 5_000, 5_100, 10, 10));
      log.onBatchCompleted(new BatchInfo(4, 4_000, 4_000, 6_000, 6_100, 10, 10));
      log.onBatchCompleted(new BatchInfo(5, 12_000, 12_000, 14_000, 14_100, 10, 10));
    } finally {
      System.setErr(original);
    }
    List<String> warnings =
        captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("falling behind")).toList();
    assertThat(warnings.toString(), warnings, hasSize(2));
    assertThat(warnings.get(0), containsString("batch 2 waited 1500 ms to start, more than the 1000 ms batch interval (1 late"));
    assertThat(warnings.get(1), containsString("batch 5 waited 2000 ms to start, more than the 1000 ms batch interval (3 late"));
  }
}
