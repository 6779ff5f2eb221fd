package dev.microbatch.translation.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.io.beam.BeamTime;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.CombiningState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.MultimapState;
import org.apache.beam.sdk.state.OrderedListState;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.state.WatermarkHoldState;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A partition's keyed state kept as bytes between batches: every kind of Beam state reads back what
 * was written after it was encoded and decoded, holds survive as the partition's hold, empty cells
 * and keys leave nothing behind, and a rolled-back batch leaves the last committed version.
 */
class KeyedPartitionStateTest {
  private static final StateNamespace GLOBAL =
      StateNamespaces.window(GlobalWindow.Coder.INSTANCE, GlobalWindow.INSTANCE);
  private static final StateTag<ValueState<String>> VALUE =
      StateTags.value("value", StringUtf8Coder.of());
  private static final StateTag<BagState<Integer>> BAG = StateTags.bag("bag", VarIntCoder.of());
  private static final StateTag<SetState<Integer>> SET = StateTags.set("set", VarIntCoder.of());
  private static final StateTag<MapState<String, Integer>> MAP =
      StateTags.map("map", StringUtf8Coder.of(), VarIntCoder.of());
  private static final StateTag<MultimapState<String, Integer>> MULTIMAP =
      StateTags.multimap("multimap", StringUtf8Coder.of(), VarIntCoder.of());
  private static final StateTag<OrderedListState<String>> ORDERED =
      StateTags.orderedList("ordered", StringUtf8Coder.of());
  private static final StateTag<CombiningState<Integer, int[], Integer>> SUM =
      StateTags.combiningValueFromInputInternal("sum", VarIntCoder.of(), Sum.ofIntegers());
  private static final StateTag<WatermarkHoldState> HOLD =
      StateTags.watermarkStateInternal("hold", TimestampCombiner.EARLIEST);

  private final KeyedPartitionState<String> partition =
      KeyedPartitionState.forGrouping(StringUtf8Coder.of(), GlobalWindow.Coder.INSTANCE, "test");

  private static ByteKey key(String key) throws Exception {
    return ByteKey.of(CoderUtils.encodeToByteArray(StringUtf8Coder.of(), key));
  }

  @Test
  void everyKindOfStateReadsBackWhatWasWrittenAfterABatch() throws Exception {
    ByteKey k = key("k");
    KeyStateInternals<String> state = partition.stateOf(k, "k");
    state.state(GLOBAL, VALUE).write("v");
    state.state(GLOBAL, BAG).add(1);
    state.state(GLOBAL, BAG).add(1);
    state.state(GLOBAL, SET).add(2);
    state.state(GLOBAL, MAP).put("a", 3);
    state.state(GLOBAL, MULTIMAP).put("m", 4);
    state.state(GLOBAL, MULTIMAP).put("m", 5);
    state.state(GLOBAL, ORDERED).add(TimestampedValue.of("late", new Instant(20)));
    state.state(GLOBAL, ORDERED).add(TimestampedValue.of("early", new Instant(10)));
    state.state(GLOBAL, SUM).add(6);
    state.state(GLOBAL, SUM).add(7);
    state.state(GLOBAL, HOLD).add(new Instant(42));
    partition.afterProcessing(k);
    partition.commit(1);

    // A later batch sees the key through a timer, decoding the key from its bytes.
    KeyStateInternals<String> again = partition.stateForTimer(k);
    assertThat(again.getKey(), is("k"));
    assertThat(again.state(GLOBAL, VALUE).read(), is("v"));
    assertThat(again.state(GLOBAL, BAG).read(), contains(1, 1));
    assertThat(again.state(GLOBAL, SET).read(), contains(2));
    assertThat(again.state(GLOBAL, MAP).get("a").read(), is(3));
    assertThat(again.state(GLOBAL, MULTIMAP).get("m").read(), containsInAnyOrder(4, 5));
    assertThat(values(again.state(GLOBAL, ORDERED).read()), contains("early", "late"));
    assertThat(again.state(GLOBAL, SUM).read(), is(13));
    assertThat(again.state(GLOBAL, HOLD).read(), is(new Instant(42)));
    assertThat(partition.earliestHold(), is(BeamTime.toEngine(new Instant(42))));
  }

  @Test
  void aStatefulDoFnsTimerComesBackIntactAndHoldsAtItsOutputTimestampUntilItFires()
      throws Exception {
    KeyedPartitionState<String> stateful = statefulState();
    ByteKey k = key("k");
    TimerInternals.TimerData timer =
        TimerInternals.TimerData.of(
            "emit", "", GLOBAL, new Instant(100), new Instant(60), TimeDomain.EVENT_TIME);
    stateful.stateOf(k, "k");
    stateful.setTimer(k, timer);
    stateful.afterProcessing(k);
    assertThat(stateful.earliestHold(), is(60L));
    assertThat(stateful.pollDue(new StageTime(0, 100, 0)), is(nullValue()));

    KeyedPartitionState.DueTimer due = stateful.pollDue(new StageTime(0, 101, 0));
    assertThat(due.key(), is(k));
    assertThat(due.timer(), is(timer));
    stateful.afterProcessing(k);
    assertThat(stateful.stateForTimer(k).getKey(), is("k"));
  }

  @Test
  void clearedStateLeavesNoKeyBehind() throws Exception {
    ByteKey k = key("k");
    partition.stateOf(k, "k").state(GLOBAL, VALUE).write("v");
    partition.afterProcessing(k);
    assertThat(partition.stateKeys(), is(1L));
    assertThat(partition.stateBytes(), greaterThan(0L));

    partition.stateOf(k, "k").state(GLOBAL, VALUE).clear();
    partition.afterProcessing(k);

    assertThat(partition.stateKeys(), is(0L));
    assertThat(partition.stateBytes(), is(0L));
  }

  @Test
  void aRolledBackBatchLeavesTheCommittedVersion() throws Exception {
    ByteKey k = key("k");
    partition.stateOf(k, "k").state(GLOBAL, VALUE).write("committed");
    partition.afterProcessing(k);
    partition.commit(1);

    partition.stateOf(k, "k").state(GLOBAL, VALUE).write("failed batch");
    partition.stateOf(k, "k").state(GLOBAL, HOLD).add(new Instant(1));
    partition.afterProcessing(k);
    partition.pushBack(List.of("pushed"));
    partition.rollback();

    assertThat(partition.stateOf(k, "k").state(GLOBAL, VALUE).read(), is("committed"));
    assertThat(partition.stateOf(k, "k").state(GLOBAL, HOLD).read(), is(nullValue()));
    assertThat(partition.takePushedBack().isEmpty(), is(true));
  }

  @Test
  void aChainOfCapturesRestoresMergedTheStateItWasTakenFrom() throws Exception {
    KeyedPartitionState<String> live = statefulState();
    TimerInternals.TimerData timer =
        TimerInternals.TimerData.of(
            "emit", "", GLOBAL, new Instant(100), new Instant(60), TimeDomain.EVENT_TIME);
    List<byte[]> chain = new ArrayList<>();
    write(live, "a", "1");
    write(live, "b", "1");
    write(live, "c", "1");
    live.setTimer(key("a"), timer);
    live.afterProcessing(key("a"));
    chain.add(commitAndCapture(live, 1, true));
    write(live, "a", "2");
    live.stateOf(key("b"), "b").state(GLOBAL, VALUE).clear();
    live.afterProcessing(key("b"));
    chain.add(commitAndCapture(live, 2, false));
    write(live, "a", "3");
    write(live, "d", "1");
    live.setTimer(key("c"), timer);
    live.afterProcessing(key("c"));
    chain.add(commitAndCapture(live, 3, false));
    write(live, "b", "again");
    chain.add(commitAndCapture(live, 4, false));

    KeyedPartitionState<String> restored = statefulState();
    restored.applyChain(chain);

    assertThat(restored.stateKeys(), is(4L));
    assertThat(restored.stateForTimer(key("a")).state(GLOBAL, VALUE).read(), is("3"));
    assertThat(restored.stateForTimer(key("b")).state(GLOBAL, VALUE).read(), is("again"));
    KeyedPartitionState.DueTimer first = restored.pollDue(new StageTime(0, 101, 0));
    KeyedPartitionState.DueTimer second = restored.pollDue(new StageTime(0, 101, 0));
    assertThat(List.of(first.key(), second.key()), containsInAnyOrder(key("a"), key("c")));
    // Byte for byte what the live state captures whole, timer sequence numbers included.
    KeyedPartitionState<String> again = statefulState();
    again.applyChain(chain);
    assertThat(
        Arrays.equals(bytesOf(again.capture(true)), bytesOf(live.capture(true))), is(true));
  }

  private static KeyedPartitionState<String> statefulState() {
    return KeyedPartitionState.forStatefulDoFn(StringUtf8Coder.of(), GlobalWindow.Coder.INSTANCE, "test");
  }

  /** Commits {@code batch} and returns the capture taken then, as written. */
  private static byte[] commitAndCapture(KeyedPartitionState<String> state, long batch, boolean full)
      throws Exception {
    state.commit(batch);
    return bytesOf(state.capture(full));
  }

  private static void write(KeyedPartitionState<String> state, String key, String value)
      throws Exception {
    state.stateOf(key(key), key).state(GLOBAL, VALUE).write(value);
    state.afterProcessing(key(key));
  }

  private static byte[] bytesOf(StateCapture capture)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      capture.writeTo(out);
    }
    return bytes.toByteArray();
  }

  @Test
  void aSmallCellTakesAFewDozenBytesEncoded() throws Exception {
    for (int i = 0; i < 1000; i++) {
      ByteKey k = key("key-" + i);
      partition.stateOf(k, "key-" + i).state(GLOBAL, SUM).add(i);
      partition.afterProcessing(k);
    }
    // One small cell per key: its id, its namespace and a varint, a few dozen bytes at most.
    assertThat(partition.stateBytes() / partition.stateKeys(), lessThan(40L));
  }

  private static List<String> values(Iterable<TimestampedValue<String>> timestamped) {
    List<String> values = new ArrayList<>();
    timestamped.forEach(value -> values.add(value.getValue()));
    return values;
  }
}
