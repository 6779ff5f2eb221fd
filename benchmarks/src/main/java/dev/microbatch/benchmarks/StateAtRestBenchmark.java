package dev.microbatch.benchmarks;

import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.state.KeyStateInternals;
import dev.microbatch.translation.state.KeyedPartitionState;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Instant;

/**
 * Heap taken per key by the runner's keyed state at rest (between batches), with nothing else in
 * flight: one stateful partition holding, for each key, what the stateful benchmark's DoFn keeps
 * (a count in a ValueState and one event-time timer holding the watermark), committed.
 */
final class StateAtRestBenchmark {
  private StateAtRestBenchmark() {}

  static String run(long keys) throws Exception {
    long before = heapInUseAfterGc();
    KeyedPartitionState<Long> partition =
        KeyedPartitionState.forStatefulDoFn(
            VarLongCoder.of(), GlobalWindow.Coder.INSTANCE, "benchmark");
    StateTag<ValueState<Long>> count = StateTags.value("count", VarLongCoder.of());
    for (long key = 0; key < keys; key++) {
      ByteKey encodedKey = BeamKeys.encode(VarLongCoder.of(), key);
      KeyStateInternals<Long> state = partition.stateOf(encodedKey, key);
      StateNamespace window =
          StateNamespaces.window(GlobalWindow.Coder.INSTANCE, GlobalWindow.INSTANCE);
      state.state(window, count).write(3L);
      Instant time = new Instant(key % 1000);
      partition.setTimer(
          encodedKey, TimerData.of("flush", "", window, time, time, TimeDomain.EVENT_TIME));
      partition.afterProcessing(encodedKey);
    }
    partition.commit(1);
    long after = heapInUseAfterGc();
    return String.format(
        "state at rest, %d keys: %d heap bytes/key (encoded state %d bytes/key), %d keys held",
        keys, (after - before) / keys, partition.stateBytes() / keys, partition.stateKeys());
  }

  private static long heapInUseAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
