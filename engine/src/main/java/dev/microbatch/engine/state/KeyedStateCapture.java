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

  /** A key and its first eight bytes as an unsigned number, which orders most keys alone. */
  private record Sortable(long prefix, KeyEntry entry) {}

  /** The keys in ascending order of their bytes (unsigned), as the layout wants them. */
  private static List<KeyEntry> sortedByKey(List<KeyEntry> keys) {
    Sortable[] sortable = new Sortable[keys.size()];
    for (int i = 0; i < sortable.length; i++) {
      KeyEntry entry = keys.get(i);
      sortable[i] = new Sortable(prefixOf(entry.key().bytes()), entry);
    }
    Arrays.sort(
        sortable,
        (a, b) -> {
          int byPrefix = Long.compareUnsigned(a.prefix(), b.prefix());
          return byPrefix != 0
              ? byPrefix
              : Arrays.compareUnsigned(a.entry().key().bytes(), b.entry().key().bytes());
        });
    List<KeyEntry> sorted = new ArrayList<>(sortable.length);
    for (Sortable s : sortable) {
      sorted.add(s.entry());
    }
    return sorted;
  }

  private static long prefixOf(byte[] key) {
    long prefix = 0;
    for (int i = 0; i < 8; i++) {
      prefix = (prefix << 8) | (i < key.length ? key[i] & 0xFF : 0);
    }
    return prefix;
  }
}
