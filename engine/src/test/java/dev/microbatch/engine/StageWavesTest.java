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

/**
 * A batch runs its stages in waves by depth across all outputs: a stage of one branch does not
 * wait for the deeper stages of a branch whose output was registered before it.
 */
class StageWavesTest {
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
  private EngineHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  /** A stage that notes its name when it sees elements, and passes them on. */
  private DStream<Integer> noting(DStream<Integer> parent, String name) {
    return parent.stateful(
        name,
        (elements, state, time, task) -> {
          List<Integer> out = new ArrayList<>();
          elements.forEachRemaining(out::add);
          if (!out.isEmpty()) {
            ran.add(name);
          }
          return new StageOutput<>(out, Watermarks.MAX);
        },
        () -> Boolean.TRUE);
  }

  @Test
  void anIndependentBranchRunsBeforeTheDeeperStagesOfAnEarlierOutput() {
    harness = EngineHarness.finite("waves", 1);
    ScriptedInputDStream<Integer> input =
        new ScriptedInputDStream<>(
            harness.context(), List.of(List.of(step(Watermarks.MAX, List.of(1)))));
    // The deep branch's output is registered first.
    harness.collect(noting(noting(noting(input, "deep-1"), "deep-2"), "deep-3"));
    harness.collect(noting(input, "shallow-1"));
    harness.start();

    harness.awaitTermination();

    assertThat(ran, contains("deep-1", "shallow-1", "deep-2", "deep-3"));
  }
}
