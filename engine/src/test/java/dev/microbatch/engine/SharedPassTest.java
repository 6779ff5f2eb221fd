package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.microbatch.engine.EngineHarness.Collected;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Group;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.ElementCodecs;
import dev.microbatch.engine.shuffle.KeyFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stream read by several chains that end in one union (a join's branches) or in shuffle writes
 * is computed once per task and handed to the chains element by element, never held whole: the
 * chains are pulled in turns, the one behind first, so that what one chain has read and another
 * not yet stays a few elements (it was the whole partition while the stream was materialized for
 * its readers, or while a union read its parents one after the other).
 */
class SharedPassTest {
  private static final int N = 10_000;
  private static final KeyFunction<Integer> BY_SIGN =
      x -> ByteKey.of(new byte[] {(byte) (x < 0 ? 1 : 0)});

  private EngineHarness harness;
  private final AtomicLong computed = new AtomicLong();
  private final AtomicLong mostAhead = new AtomicLong();

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  private static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  /** The shared stream: counts what it computes. */
  private DStream<Integer> shared(int n) {
    return harness.finiteQueue(upTo(n)).map(x -> {
      computed.incrementAndGet();
      return x;
    });
  }

  /** Notes how far the shared stream had got past element {@code x} when a chain yielded it. */
  private Integer noteHowFarAhead(Integer x) {
    long ahead = computed.get() - (Math.abs(x) + 1);
    mostAhead.accumulateAndGet(ahead, Math::max);
    return x;
  }

  private static List<Integer> elementsOf(Collected<Group<Integer>> groups) {
    List<Integer> all = new ArrayList<>();
    for (long batch : groups.batchIds()) {
      groups.batch(batch).forEach(group -> all.addAll(group.elements()));
    }
    return all;
  }

  @Test
  void branchesJoinedByAUnionReadTheirStreamInOnePassInTurns() {
    harness = EngineHarness.finite("shared-union", 1);
    DStream<Integer> events = shared(N);
    DStream<Integer> evens = events.filter(x -> x % 2 == 0).map(this::noteHowFarAhead);
    DStream<Integer> tens = events.filter(x -> x % 10 == 0).map(x -> -x).map(this::noteHowFarAhead);
    Collected<Group<Integer>> out =
        harness.collect(evens.union(tens).groupBy(BY_SIGN, ElementCodecs.int32()));
    harness.start();
    harness.awaitTermination();

    List<Integer> expected = new ArrayList<>();
    upTo(N).stream().filter(x -> x % 2 == 0).forEach(expected::add);
    upTo(N).stream().filter(x -> x % 10 == 0).map(x -> -x).forEach(expected::add);
    assertThat(elementsOf(out), containsInAnyOrder(expected.toArray()));
    assertThat(computed.get(), is((long) N));
    // Read one parent after the other, the second parent's first element came N elements late.
    assertThat(mostAhead.get(), lessThan(20L));
  }

  @Test
  void shuffleWritesReadingOneStreamRunAsOneStageInOnePass() {
    harness = EngineHarness.finite("shared-writes", 1);
    DStream<Integer> events = shared(N);
    Collected<Group<Integer>> evens =
        harness.collect(
            events.filter(x -> x % 2 == 0).map(this::noteHowFarAhead).groupBy(BY_SIGN, ElementCodecs.int32()));
    Collected<Group<Integer>> tens =
        harness.collect(
            events.filter(x -> x % 10 == 0).map(this::noteHowFarAhead).groupBy(BY_SIGN, ElementCodecs.int32()));
    harness.start();
    harness.awaitTermination();

    assertThat(elementsOf(evens), containsInAnyOrder(upTo(N).stream().filter(x -> x % 2 == 0).toArray()));
    assertThat(elementsOf(tens), containsInAnyOrder(upTo(N).stream().filter(x -> x % 10 == 0).toArray()));
    assertThat(computed.get(), is((long) N));
    // Materialized for its two readers, the stream was computed whole before either read it.
    assertThat(mostAhead.get(), lessThan(20L));
  }

  @Test
  void aChainThatReadsEverythingFirstStillGetsEveryElementPastTheWindowLimit() {
    harness = EngineHarness.finite("shared-overflow", 2);
    int n = 200_000; // two partitions of 100,000, past the 65,536 elements a window may hold
    DStream<Integer> events = shared(n);
    DStream<Integer> all =
        events.mapPartitions(
            "read-all-first",
            (input, task) -> {
              List<Integer> held = new ArrayList<>();
              input.forEachRemaining(held::add);
              return held.iterator();
            });
    DStream<Integer> negated = events.map(x -> -x - 1);
    Collected<Group<Integer>> out =
        harness.collect(all.union(negated).groupBy(BY_SIGN, ElementCodecs.int32()));
    harness.start();
    harness.awaitTermination();

    List<Integer> got = elementsOf(out);
    assertThat(got.size(), is(2 * n));
    assertThat(got.stream().filter(x -> x >= 0).distinct().count(), is((long) n));
    assertThat(got.stream().filter(x -> x < 0).distinct().count(), is((long) n));
    assertThat(computed.get(), is((long) n));
  }
}
