package dev.microbatch.engine.recovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import dev.microbatch.engine.checkpoint.GraphCheckpoint;
import dev.microbatch.engine.checkpoint.GraphCheckpoint.Kind;
import dev.microbatch.engine.checkpoint.GraphCheckpoint.Unit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of difference between a checkpoint and the graph restoring it is named. */
class CompatibilityCheckTest {
  private static GraphCheckpoint saved(Unit... units) {
    return new GraphCheckpoint(2, List.of(units), Map.of(), Map.of(), Map.of(), Map.of());
  }

  @Test
  void theSameGraphHasNoDifferences() {
    Unit read = new Unit("Read", Kind.INPUT, "a");
    assertThat(CompatibilityCheck.differences(saved(read), List.of(read), 2), empty());
  }

  @Test
  void listsRemovedAddedChangedAndParallelism() {
    GraphCheckpoint checkpoint =
        saved(
            new Unit("Read", Kind.INPUT, "splits=2"),
            new Unit("Sum", Kind.STATE, "long"),
            new Unit("Gone", Kind.STATE, "x"));
    List<Unit> now =
        List.of(
            new Unit("Read", Kind.INPUT, "splits=4"),
            new Unit("Sum", Kind.STATE, "long"),
            new Unit("New", Kind.STATE, "y"));
    assertThat(
        CompatibilityCheck.differences(checkpoint, now, 4),
        containsInAnyOrder(
            "parallelism: the checkpoint was written with 2 partitions, this run has 4 (keys are"
                + " placed by it; run with the same parallelism)",
            "input 'Read' changed: the checkpoint has [splits=2], this pipeline [splits=4]",
            "stateful transform 'Gone' is in the checkpoint but not in this pipeline (removed or renamed)",
            "stateful transform 'New' is new: the checkpoint has nothing for it (added or renamed)"));
    assertThat(CompatibilityCheck.restorable(checkpoint, now), contains("Sum"));
  }
}
