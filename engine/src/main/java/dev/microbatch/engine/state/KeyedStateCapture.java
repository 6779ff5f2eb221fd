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
    out.writeByte(full ? FULL : CHANGES);
    out.writeInt(nextSequences.length);
    for (long sequence : nextSequences) {
      out.writeLong(sequence);
    }
    out.writeInt(keys.size());
    for (KeyEntry key : keys) {
      Encoding.writeBytes(out, key.key().bytes());
      Encoding.writeNullableBytes(out, key.blob());
      out.writeLong(key.hold());
      int count = 0;
      for (Object held : key.timersByDomain()) {
        count += TimerIndex.entriesOf(held).length;
      }
      out.writeInt(count);
      for (int domain = 0; domain < key.timersByDomain().length; domain++) {
        TimerIndex.Entry<I, T>[] entries = TimerIndex.entriesOf(key.timersByDomain()[domain]);
        for (TimerIndex.Entry<I, T> entry : entries) {
          out.writeInt(domain);
          out.writeLong(entry.time());
          out.writeLong(entry.sequence());
          out.writeLong(entry.hold());
          Encoding.writeBytes(out, timers.encode(entry.timer()));
        }
      }
    }
  }
}
