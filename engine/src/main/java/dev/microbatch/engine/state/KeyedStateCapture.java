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
  record KeyEntry(ByteKey key, byte[] blob, long hold, Object[] timersByDomain) {}

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

  /**
   * The keys in ascending order of their bytes (unsigned), as the layout wants them. Sorts
   * primitives: each key's first 39 bits (its leading bytes, which order most keys alone) above
   * its index, so the sort moves longs and never follows a reference; keys that share those bits
   * are then ordered by all their bytes.
   */
  static List<KeyEntry> sortedByKey(List<KeyEntry> keys) {
    int n = keys.size();
    if (n >= 1 << INDEX_BITS) {
      List<KeyEntry> sorted = new ArrayList<>(keys);
      sorted.sort((a, b) -> Arrays.compareUnsigned(a.key().bytes(), b.key().bytes()));
      return sorted;
    }
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      packed[i] = ((prefixOf(keys.get(i).key().bytes()) >>> (64 - PREFIX_BITS)) << INDEX_BITS) | i;
    }
    Arrays.sort(packed);
    List<KeyEntry> sorted = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sorted.add(keys.get((int) (packed[i] & INDEX_MASK)));
    }
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && packed[to] >>> INDEX_BITS == packed[from] >>> INDEX_BITS) {
        to++;
      }
      if (to - from > 1) {
        sorted.subList(from, to).sort((a, b) -> Arrays.compareUnsigned(a.key().bytes(), b.key().bytes()));
      }
      from = to;
    }
    return sorted;
  }

  private static final int INDEX_BITS = 24;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
  // Leaves the sign bit clear, so a signed sort of the packed longs is the unsigned order.
  private static final int PREFIX_BITS = 63 - INDEX_BITS;

  private static long prefixOf(byte[] key) {
    long prefix = 0;
    for (int i = 0; i < 8; i++) {
      prefix = (prefix << 8) | (i < key.length ? key[i] & 0xFF : 0);
    }
    return prefix;
  }
}
