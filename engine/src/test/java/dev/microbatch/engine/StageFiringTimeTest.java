package dev.microbatch.engine;

import static dev.microbatch.engine.dstream.ScriptedInputDStream.step;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.ScriptedInputDStream;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stateful stage's times in a batch: its elements arrive at the batch's time, but its timers are
 * judged at the time the stage starts, after the upstream stages finished, so processing time that
 * a slow upstream stage took counts as it would in a record-at-a-time engine.
 */
class StageFiringTimeTest {
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void aStageFiresAtTheTimeItStartsAfterASlowUpstreamStage() {
    harness = EngineHarness.finite("firing-time", 1);
    ScriptedInputDStream<Integer> input =
        new ScriptedInputDStream<>(harness.context(), List.of(List.of(step(Watermarks.MAX, List.of(1)))));
    DStream<Integer> slow =
        input.stateful(
            "slow",
            (elements, state, time, task) -> {
              List<Integer> out = new ArrayList<>();
              elements.forEachRemaining(out::add);
              if (!out.isEmpty()) {
                harness.clock().advance(700); // a callback that took 700 ms
              }
              return new StageOutput<>(out, Watermarks.MAX);
            },
            () -> Boolean.TRUE);
    AtomicReference<StageTime> firstWithData = new AtomicReference<>();
    harness.collect(
        slow.stateful(
            "downstream",
            (elements, state, time, task) -> {
              List<Integer> out = new ArrayList<>();
              elements.forEachRemaining(out::add);
              if (!out.isEmpty()) {
                firstWithData.compareAndSet(null, time);
              }
              return new StageOutput<>(out, Watermarks.MAX);
            },
            () -> Boolean.TRUE));
    harness.start();

    harness.awaitTermination();

    StageTime time = firstWithData.get();
    assertThat(time.firingTime() - time.processingTime(), is(700L));
  }
}
