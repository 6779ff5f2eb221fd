package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What user code logs while a batch runs carries the pipeline and the batch number in the logging
 * context (SLF4J's MDC), on the worker threads that run the batch's tasks; what is logged outside a
 * batch carries neither. Runs with Logback, whose MDC works (slf4j-simple's does nothing).
 */
class LoggingContextTest {
  private static final org.slf4j.Logger USER = LoggerFactory.getLogger("dev.microbatch.test.user");

  /** Keeps each event's message, thread and logging context as they were when it was logged. */
  private static final class Recording extends AppenderBase<ILoggingEvent> {
    record Seen(String message, String thread, Map<String, String> context) {}

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      seen.add(new Seen(event.getFormattedMessage(), event.getThreadName(), Map.copyOf(event.getMDCPropertyMap())));
    }
  }

  @Test
  void eachBatchLogsWithThePipelineAndBatchInTheContext() throws Exception {
    Logger user = (Logger) LoggerFactory.getLogger("dev.microbatch.test.user");
    Recording recording = new Recording();
    recording.start();
    user.addAppender(recording);
    user.setLevel(Level.INFO);
    user.setAdditive(false);
    try (StreamingHarness h = new StreamingHarness(2)) {
      h.queue(List.of(1, 2, 3, 4), List.of(5, 6))
          .map(
              i -> {
                USER.info("element {}", i);
                return i;
              })
          .foreachRDD(rdd -> rdd.count());
      h.start();
      h.runBatches(2);
      USER.info("outside any batch");
    } finally {
      user.detachAppender(recording);
    }

    List<String> batchOf = new ArrayList<>();
    for (Recording.Seen seen : recording.seen) {
      if (seen.message().equals("outside any batch")) {
        assertThat(seen.context().containsKey("pipeline"), is(false));
        assertThat(seen.context().containsKey("batch"), is(false));
        continue;
      }
      assertThat(seen.toString(), seen.context().get("pipeline"), startsWith("streaming-test-"));
      assertThat(seen.toString(), seen.thread(), not(is(Thread.currentThread().getName())));
      batchOf.add(seen.message() + " in batch " + seen.context().get("batch"));
    }
    assertThat(
        batchOf,
        containsInAnyOrder(
            "element 1 in batch 1", "element 2 in batch 1", "element 3 in batch 1", "element 4 in batch 1",
            "element 5 in batch 2", "element 6 in batch 2"));
  }
}
