package dev.microbatch.engine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.Codecs;
import dev.microbatch.engine.state.KeyedHolds;
import dev.microbatch.engine.state.TimerIndex;
import org.junit.jupiter.api.Test;

/** The time-ordered timer index and the per-key holds of a stateful partition. */
class TimerIndexTest {
  private static ByteKey key(String k) {
    return ByteKey.of(Codecs.utf8().encode(k));
  }

  @Test
  void dueTimersComeOutInTimeOrderThenSetOrderAndOnlyBeforeTheBound() {
    TimerIndex<String, String> index = new TimerIndex<>();
    index.set(key("a"), "t1", 30, "a30");
    index.set(key("b"), "t1", 10, "b10");
    index.set(key("c"), "t1", 10, "c10");
    index.set(key("a"), "t2", 50, "a50");

    assertThat(index.earliest(), is(10L));
    assertThat(index.pollBefore(31).timer(), is("b10"));
    assertThat(index.pollBefore(31).timer(), is("c10"));
    assertThat(index.pollBefore(31).timer(), is("a30"));
    assertThat(index.pollBefore(31), is(nullValue()));
    assertThat(index.size(), is(1));
    assertThat(index.hasTimers(key("b")), is(false));
  }

  @Test
  void settingAnIdAgainReplacesItAndDeleteRemovesIt() {
    TimerIndex<String, String> index = new TimerIndex<>();
    index.set(key("a"), "t", 10, "first");
    index.set(key("a"), "t", 40, "moved");
    index.set(key("b"), "t", 20, "b");
    index.delete(key("b"), "t");
    index.delete(key("zzz"), "t");

    assertThat(index.size(), is(1));
    assertThat(index.get(key("a"), "t").timer(), is("moved"));
    assertThat(index.pollBefore(40), is(nullValue()));
    assertThat(index.pollBefore(41).timer(), is("moved"));
    assertThat(index.earliest(), is(Long.MAX_VALUE));
  }

  @Test
  void aKeysTimersGrowAndShrinkInAnyOrder() {
    TimerIndex<String, String> index = new TimerIndex<>();
    index.set(key("a"), "t1", 10, 5, "one");
    index.set(key("a"), "t2", 20, 3, "two");
    index.set(key("a"), "t3", 30, 7, "three");
    assertThat(index.timersOf(key("a")).size(), is(3));
    assertThat(index.earliestHoldOf(key("a")), is(3L));

    index.delete(key("a"), "t2");
    assertThat(index.get(key("a"), "t2"), is(nullValue()));
    assertThat(index.get(key("a"), "t3").timer(), is("three"));
    assertThat(index.earliestHoldOf(key("a")), is(5L));

    // Down to one timer: the survivor is the other one, whichever was deleted.
    index.delete(key("a"), "t1");
    assertThat(index.timersOf(key("a")).size(), is(1));
    assertThat(index.get(key("a"), "t3").timer(), is("three"));
    assertThat(index.earliestHoldOf(key("a")), is(7L));

    index.set(key("a"), "t1", 40, "back");
    index.delete(key("a"), "t3");
    assertThat(index.get(key("a"), "t1").timer(), is("back"));
    assertThat(index.pollBefore(Long.MAX_VALUE).timer(), is("back"));
    assertThat(index.hasTimers(key("a")), is(false));
    assertThat(index.earliestHoldOf(key("a")), is(Watermarks.MAX));
  }

  @Test
  void holdsTrackTheEarliestKeyAndReleaseAtMax() {
    KeyedHolds holds = new KeyedHolds();
    assertThat(holds.earliest(), is(Watermarks.MAX));
    holds.set(key("a"), 100);
    holds.set(key("b"), 50);
    holds.set(key("c"), 50);
    assertThat(holds.earliest(), is(50L));
    holds.set(key("b"), Watermarks.MAX);
    assertThat(holds.earliest(), is(50L));
    holds.set(key("c"), 200);
    assertThat(holds.earliest(), is(100L));
    holds.set(key("a"), Watermarks.MAX);
    holds.set(key("c"), Watermarks.MAX);
    assertThat(holds.earliest(), is(Watermarks.MAX));
    assertThat(holds.size(), is(0));
  }
}
