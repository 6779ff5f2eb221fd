package dev.microbatch.engine.recovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.microbatch.engine.checkpoint.CheckpointWriter;
import dev.microbatch.engine.checkpoint.StateCapture;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When chains are compacted, which one goes first, and what the graph lists meanwhile. */
class StateChainsTest {
  private static final int PARTITIONS = 2;

  private static StateCapture capture(boolean full, long keys) {
    return new StateCapture() {
      @Override
      public boolean full() {
        return full;
      }

      @Override
      public long entries() {
        return keys;
      }

      @Override
      public void writeTo(DataOutputStream out) {}
    };
  }

  private static String file(long batch, String stage, int p, String kind) {
    return CheckpointWriter.dataPath(batch, stage + "-p" + p + kind);
  }

  private static void add(StateChains chains, long batch, String stage, int p, boolean full, long keys) {
    chains.add(stage, p, file(batch, stage, p, full ? ".full" : ".changes"), capture(full, keys));
  }

  private static List<StateChains.Compaction> schedule(StateChains chains, long batch) {
    return chains.scheduleCompactions(batch, (stage, p) -> stage + "-p" + p + ".merged");
  }

  @Test
  void onlyTheFirstCaptureIsWholeAndAChainIsCompactedOnceItsChangesHoldFourTimesItsKeys() {
    StateChains chains = new StateChains(PARTITIONS, 100);
    assertThat(chains.needsWholeCapture("s", 0), is(true));
    add(chains, 1, "s", 0, true, 10);
    add(chains, 2, "s", 0, false, 24);
    assertThat(chains.needsWholeCapture("s", 0), is(false));
    assertThat(schedule(chains, 2), is(empty()));

    add(chains, 3, "s", 0, false, 16); // 40 changed keys: four times the 10 whole ones
    List<StateChains.Compaction> due = schedule(chains, 3);

    assertThat(due.size(), is(1));
    assertThat(
        due.get(0).chain(),
        contains(file(1, "s", 0, ".full"), file(2, "s", 0, ".changes"), file(3, "s", 0, ".changes")));
    assertThat(due.get(0).path(), is(CheckpointWriter.dataPath(3, "s-p0.merged")));
    // The graph of that checkpoint already names the merged file alone.
    assertThat(chains.snapshot().get("s").get(0), contains(due.get(0).path()));
  }

  @Test
  void oneChainPerCheckpointTheMostOverdueFirst() {
    StateChains chains = new StateChains(PARTITIONS, 100);
    for (String stage : List.of("a", "b")) {
      for (int p = 0; p < PARTITIONS; p++) {
        add(chains, 1, stage, p, true, 100);
      }
    }
    add(chains, 2, "a", 0, false, 480);
    add(chains, 2, "a", 1, false, 600);
    add(chains, 2, "b", 0, false, 440);

    List<StateChains.Compaction> first = schedule(chains, 2);
    List<StateChains.Compaction> second = schedule(chains, 3);
    List<StateChains.Compaction> third = schedule(chains, 4);

    assertThat(first.size(), is(1));
    assertThat(first.get(0).stage() + first.get(0).partition(), is("a1"));
    assertThat(second.get(0).stage() + second.get(0).partition(), is("a0"));
    assertThat(third.get(0).stage() + third.get(0).partition(), is("b0"));
    assertThat(schedule(chains, 5), is(empty()));
  }

  @Test
  void everyChainTwicePastItsLimitIsCompactedAtOnce() {
    StateChains chains = new StateChains(PARTITIONS, 100);
    add(chains, 1, "s", 0, true, 10);
    add(chains, 1, "s", 1, true, 10);
    add(chains, 2, "s", 0, false, 80);
    add(chains, 2, "s", 1, false, 100);

    assertThat(schedule(chains, 2).size(), is(2));
  }

  @Test
  void aChainOfUnknownSizeIsCompactedByItsNumberOfFiles() {
    StateChains chains = new StateChains(PARTITIONS, 3);
    chains.restored(
        "s", List.of(List.of(file(1, "s", 0, ".full"), file(2, "s", 0, ".changes")), List.of()));
    add(chains, 3, "s", 0, false, 1_000_000);
    assertThat(schedule(chains, 3), is(empty()));

    add(chains, 4, "s", 0, false, 1);
    assertThat(schedule(chains, 4).size(), is(1));
  }

  @Test
  void theKeysOfAMergedFileDecideTheNextCompaction() {
    StateChains chains = new StateChains(PARTITIONS, 100);
    add(chains, 1, "s", 0, true, 10);
    add(chains, 2, "s", 0, false, 40);
    StateChains.Compaction merging = schedule(chains, 2).get(0);
    add(chains, 3, "s", 0, false, 50);
    // Until the merge reports its keys, the chain is not compacted again.
    assertThat(schedule(chains, 3), is(empty()));

    chains.compacted("s", 0, merging.path(), 40);
    add(chains, 4, "s", 0, false, 110); // 160 changed keys: four times the 40
    assertThat(schedule(chains, 4).size(), is(1));
  }
}
