package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The keys of a {@link KeyedStateStore} a checkpoint saves, as references to their committed,
 * immutable values; encoded on the checkpoint thread. Layout (big-endian):
 *
 * <pre>
 *   byte    1 = full, 2 = changes since the previous capture
 *   int32   time domains, then per domain: int64 the domain's next timer sequence
 *   int32   keys, then per key:
 *     bytes   key (int32 length + bytes)
 *     bytes   state blob, length -1 when the key has none
 *     int64   watermark hold (Long.MAX_VALUE: none)
 *     int32   timers, then per timer: int32 domain, int64 time, int64 sequence, int64 hold,
 *             bytes timer (encoded with the store's {@link TimerCodec}; the id comes from it)
 * </pre>
 *
 * A key written with no blob, no timers and no hold is deleted when the capture is applied.
 */
final class KeyedStateCapture<I, T> implements StateCapture {
  static final byte FULL = 1;
  static final byte CHANGES = 2;

  /** One key as committed; {@code timers} hold every domain's. */
  record KeyEntry<I, T>(ByteKey key, byte[] blob, long hold, List<TimerEntry<I, T>> timers) {}

  record TimerEntry<I, T>(int domain, TimerIndex.Entry<I, T> entry) {}

  private final boolean full;
  private final long[] nextSequences;
  private final List<KeyEntry<I, T>> keys;
  private final TimerCodec<I, T> timers;

  KeyedStateCapture(
      boolean full,
      long[] nextSequences,
      List<KeyEntry<I, T>> keys,
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

  /** Roughly the bytes {@link #writeTo} writes, so its buffer need not grow by copying. */
  @Override
  public int sizeHint() {
    long bytes = 64;
    for (KeyEntry<I, T> key : keys) {
      bytes += 24 + key.key().bytes().length + (key.blob() == null ? 0 : key.blob().length);
      bytes += key.timers().size() * 96L;
    }
    return (int) Math.min(bytes, Integer.MAX_VALUE - 16);
  }

  @Override
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeByte(full ? FULL : CHANGES);
    out.writeInt(nextSequences.length);
    for (long sequence : nextSequences) {
      out.writeLong(sequence);
    }
    out.writeInt(keys.size());
    for (KeyEntry<I, T> key : keys) {
      Encoding.writeBytes(out, key.key().bytes());
      Encoding.writeNullableBytes(out, key.blob());
      out.writeLong(key.hold());
      out.writeInt(key.timers().size());
      for (TimerEntry<I, T> timer : key.timers()) {
        TimerIndex.Entry<I, T> entry = timer.entry();
        out.writeInt(timer.domain());
        out.writeLong(entry.time());
        out.writeLong(entry.sequence());
        out.writeLong(entry.hold());
        Encoding.writeBytes(out, timers.encode(entry.timer()));
      }
    }
  }
}
