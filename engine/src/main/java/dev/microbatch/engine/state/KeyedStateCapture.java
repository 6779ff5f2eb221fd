package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of a {@link KeyedStateStore} a checkpoint saves, as references to their committed,
 * immutable values; written on the checkpoint thread in the {@link KeyedCaptureLayout}.
 */
final class KeyedStateCapture<I, T> implements StateCapture {
  /**
   * One key as committed; its timers per domain as {@link TimerIndex#heldTimersOf} gave them
   * (taken as they are: converting them costs the driver, writing them costs the checkpoint
   * thread).
   */
  record KeyEntry(ByteKey key, StateBytes blob, long hold, Object[] timersByDomain) {}

  private final boolean full;
  private final long[] nextSequences;
  private final List<KeyEntry> keys;
  private final TimerCodec<I, T> timers;

  KeyedStateCapture(
      boolean full,
      long[] nextSequences,
      List<KeyEntry> keys,
      TimerCodec<I, T> timers) {
    this.full = full;
    this.nextSequences = nextSequences;
    this.keys = keys;
    this.timers = timers;
  }

  @Override
  public boolean full() {
    return full;
  }

  @Override
  public long entries() {
    return keys.size();
  }


  @Override
  public void writeTo(DataOutputStream out) throws IOException {
    KeyedCaptureLayout.Writer writer = new KeyedCaptureLayout.Writer(out, full, nextSequences);
    for (KeyEntry key : sortedByKey(keys)) {
      int count = 0;
      for (Object held : key.timersByDomain()) {
        count += TimerIndex.entriesOf(held).length;
      }
      writer.key(key.key().bytes(), key.blob(), key.hold(), count);
      for (int domain = 0; domain < key.timersByDomain().length; domain++) {
        TimerIndex.Entry<I, T>[] entries = TimerIndex.entriesOf(key.timersByDomain()[domain]);
        for (TimerIndex.Entry<I, T> entry : entries) {
          writer.timer(domain, entry.time(), entry.sequence(), entry.hold(), timers.encode(entry.timer()));
        }
      }
    }
    writer.end();
  }

  /** The keys in ascending order of their bytes (unsigned), as the layout wants them. */
  static List<KeyEntry> sortedByKey(List<KeyEntry> keys) {
    int[] order =
        KeyOrder.sort(
            keys.size(),
            i -> ChangeLog.prefixOf(keys.get(i).key().bytes()),
            (a, b) -> Arrays.compareUnsigned(keys.get(a).key().bytes(), keys.get(b).key().bytes()));
    List<KeyEntry> sorted = new ArrayList<>(order.length);
    for (int i : order) {
      sorted.add(keys.get(i));
    }
    return sorted;
  }
}
