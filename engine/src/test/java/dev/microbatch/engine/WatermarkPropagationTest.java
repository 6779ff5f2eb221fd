package dev.microbatch.engine;

import static dev.microbatch.engine.dstream.ScriptedInputDStream.step;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.ScriptedInputDStream;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.event.Watermarks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-stage watermarks: minimum over partitions and parents, holds, never backwards, one batch. */
class WatermarkPropagationTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  /**
   * A stateful stage that records the input watermark it saw in each batch and holds {@code hold}
   * until its input is complete.
   */
  private static <T> DStream<T> observe(DStream<T> stream, List<Long> seen, long hold) {
    return stream.stateful(
        "observe",
        (input, state, time, task) -> {
          if (task.partition() == 0) {
            seen.add(time.inputWatermark());
          }
          List<T> out = new ArrayList<>();
          input.forEachRemaining(out::add);
          return new StageOutput<>(out, time.inputWatermark() == Watermarks.MAX ? Watermarks.MAX : hold);
        },
        () -> Boolean.TRUE);
  }

  @Test
  void theSlowestPartitionHoldsTheSourceWatermarkBack() {
    harness = EngineHarness.finite("slowest", 2);
    ScriptedInputDStream<Integer> input =
        new ScriptedInputDStream<>(
            harness.context(),
            List.of(
                List.of(step(100, List.of(1)), step(10, List.of(2))),
                List.of(step(200, List.of()), step(150, List.of(3))),
                List.of(step(300, List.of()), step(400, List.of()))));
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    harness.collect(observe(input, seen, Watermarks.MAX));
    harness.start();

    harness.awaitTermination();

    // Batch 4 reads past the script: the input is finished, its watermark is +infinity.
    assertThat(seen, contains(10L, 150L, 300L, Watermarks.MAX));
  }

  @Test
  void aWatermarkNeverMovesBackwards() {
    harness = EngineHarness.finite("monotonic", 1);
    ScriptedInputDStream<Integer> input =
        new ScriptedInputDStream<>(
            harness.context(),
            List.of(
                List.of(step(500, List.of(1))),
                List.of(step(200, List.of(2))),
                List.of(step(600, List.of(3)))));
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    harness.collect(observe(input.map(x -> x + 1), seen, Watermarks.MAX));
    harness.start();

    harness.awaitTermination();

    assertThat(seen, contains(500L, 500L, 600L, Watermarks.MAX));
  }

  @Test
  void aHoldUpstreamHoldsBackEveryStageDownstreamInTheSameBatch() {
    harness = EngineHarness.finite("hold", 2);
    ScriptedInputDStream<Integer> input =
        new ScriptedInputDStream<>(
            harness.context(),
            List.of(List.of(step(1000, List.of(1)), step(1000, List.of(2)))));
    List<Long> first = Collections.synchronizedList(new ArrayList<>());
    List<Long> second = Collections.synchronizedList(new ArrayList<>());
    List<Long> third = Collections.synchronizedList(new ArrayList<>());
    // The first stage holds at 700; the union with the source must still see 700, not 1000.
    DStream<Integer> held = observe(input, first, 700);
    DStream<Integer> union = observe(held, second, Watermarks.MAX).union(input);
    harness.collect(observe(union, third, Watermarks.MAX));
    harness.start();

    harness.awaitTermination();

    assertThat(first, contains(1000L, Watermarks.MAX));
    assertThat(second, contains(700L, Watermarks.MAX));
    assertThat(third, contains(700L, Watermarks.MAX));
  }

  @Test
  void aFinishedInputMovesEveryStageToInfinityInItsLastBatch() {
    harness = EngineHarness.finite("finish", 2);
    List<Long> first = Collections.synchronizedList(new ArrayList<>());
    List<Long> second = Collections.synchronizedList(new ArrayList<>());
    DStream<Integer> source = harness.finiteQueue(List.of(1, 2, 3));
    harness.collect(observe(observe(source, first, Watermarks.MAX).filter(x -> x > 1), second, Watermarks.MAX));
    harness.start();

    harness.awaitTermination();

    // Queued data has no event time: -infinity until the finite queue is read whole.
    assertThat(first, contains(Watermarks.MAX));
    assertThat(second, contains(Watermarks.MAX));
  }

  @Test
  void aStageStillHoldingAfterItsInputEndedKeepsTheContextRunningUntilItReleases() {
    harness = EngineHarness.finite("holding", 1);
    DStream<Integer> source = harness.finiteQueue(List.of(1));
    // Holds (and emits a record, so every batch makes progress) for three batches past the input.
    DStream<String> lingering =
        source.stateful(
            "linger",
            (input, batches, time, task) -> {
              input.forEachRemaining(x -> {});
              int seen = batches.incrementAndGet();
              boolean done = seen > 3;
              return new StageOutput<>(
                  done ? List.of() : List.of("batch " + seen), done ? Watermarks.MAX : 0L);
            },
            java.util.concurrent.atomic.AtomicInteger::new);
    harness.collect(lingering);
    harness.start();

    harness.awaitTermination();

    assertThat(harness.listener().completedCount(), org.hamcrest.Matchers.is(4));
  }
}
