package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.event.Watermarks;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch drops a stage's data once every stage and output that reads it has run, unless the
 * stream is cached: a bounded pipeline, one batch long, must not hold every stage until its end.
 */
class StageReleaseTest {
  private EngineHarness harness;
  private final List<WeakReference<Object>> produced = Collections.synchronizedList(new ArrayList<>());
  private final List<Boolean> stillHeldWhenOutputRan = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  /** A stage that turns each element into a large array, remembered weakly. */
  private DStream<Object> largeArrays(DStream<Integer> parent) {
    return parent.stateful(
        "large",
        (elements, state, time, task) -> {
          List<Object> out = new ArrayList<>();
          while (elements.hasNext()) {
            elements.next();
            byte[] large = new byte[1 << 20];
            produced.add(new WeakReference<>(large));
            out.add(large);
          }
          return new StageOutput<>(out, Watermarks.MAX);
        },
        () -> Boolean.TRUE);
  }

  /** A stage that reads its parent and keeps only a count. */
  private DStream<Integer> counted(DStream<Object> parent) {
    return parent.stateful(
        "count",
        (elements, state, time, task) -> {
          int count = 0;
          while (elements.hasNext()) {
            elements.next();
            count++;
          }
          return new StageOutput<>(List.of(count), Watermarks.MAX);
        },
        () -> Boolean.TRUE);
  }

  private void outputNotingWhetherHeld(DStream<Integer> stream) {
    stream.foreachPartition(
        (partition, task) -> {
          partition.forEachRemaining(x -> {});
          if (task.partition() == 0) {
            stillHeldWhenOutputRan.add(anyStillReachable());
          }
        });
  }

  private boolean anyStillReachable() {
    for (int attempt = 0; attempt < 5; attempt++) {
      System.gc();
      boolean any = false;
      for (WeakReference<Object> ref : List.copyOf(produced)) {
        any |= ref.get() != null;
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aStageReadByOneLaterStageIsDroppedOnceThatStageRan() {
    harness = EngineHarness.finite("release", 1);
    DStream<Object> large = largeArrays(harness.context().queueStream(List.of(List.of(1, 2, 3, 4)), true));
    outputNotingWhetherHeld(counted(large));
    harness.start();
    harness.awaitTermination();

    assertThat(produced.size(), is(4));
    assertThat(stillHeldWhenOutputRan, contains(false));
  }

  @Test
  void aCachedStageIsKeptForTheWholeBatch() {
    harness = EngineHarness.finite("release-cached", 1);
    DStream<Object> large = largeArrays(harness.context().queueStream(List.of(List.of(1, 2, 3, 4)), true));
    large.cache();
    outputNotingWhetherHeld(counted(large));
    harness.start();
    harness.awaitTermination();

    assertThat(stillHeldWhenOutputRan, contains(true));
  }
}
