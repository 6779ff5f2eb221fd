package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Merges a chain of {@link KeyedStateCapture} layouts (a whole one, then the changes since) into
 * one whole capture by their bytes: each key's last record wins, and a key whose last record is a
 * deletion drops out. Nothing is decoded, no store is built: merging costs a map entry and a copy
 * of the record per key, which is what lets the checkpoint thread compact a chain of millions of
 * keys in about the time it takes to write them.
 */
public final class KeyedCaptureMerge {
  private final Map<ByteKey, byte[]> records = new HashMap<>();
  private long[] nextSequences;
  private boolean whole;

  /**
   * Adds the capture that starts at {@code in}'s position; leaves the position just after it.
   *
   * @throws IOException if the bytes are not a keyed capture, or the chain does not start whole
   */
  public void add(ByteBuffer in) throws IOException {
    try {
      byte kind = in.get();
      if (kind != KeyedStateCapture.FULL && kind != KeyedStateCapture.CHANGES) {
        throw new IOException("Corrupt keyed state: unknown capture kind " + kind);
      }
      if (kind == KeyedStateCapture.FULL) {
        records.clear();
        whole = true;
      } else if (!whole) {
        throw new IOException("A chain of keyed state must start with a whole capture");
      }
      int domains = in.getInt();
      if (nextSequences == null) {
        nextSequences = new long[domains];
      } else if (domains != nextSequences.length) {
        throw new IOException(
            "Keyed state of " + domains + " timer domains after " + nextSequences.length);
      }
      for (int d = 0; d < domains; d++) {
        nextSequences[d] = Math.max(nextSequences[d], in.getLong());
      }
      int keys = in.getInt();
      for (int k = 0; k < keys; k++) {
        ByteKey key = ByteKey.of(bytes(in, in.getInt()));
        int start = in.position();
        if (isDeletion(in)) {
          records.remove(key);
        } else {
          records.put(key, Arrays.copyOfRange(in.array(), in.arrayOffset() + start, in.arrayOffset() + in.position()));
        }
      }
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new IOException("Corrupt keyed state: a capture ends early", e);
    }
  }

  /** The merged state as one whole capture; add nothing after. */
  public StateCapture result() {
    if (!whole) {
      throw new IllegalStateException("Nothing merged yet");
    }
    long[] sequences = nextSequences;
    Map<ByteKey, byte[]> merged = records;
    return new StateCapture() {
      @Override
      public boolean full() {
        return true;
      }

      @Override
      public long entries() {
        return merged.size();
      }


      @Override
      public void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(KeyedStateCapture.FULL);
        out.writeInt(sequences.length);
        for (long sequence : sequences) {
          out.writeLong(sequence);
        }
        out.writeInt(merged.size());
        for (Map.Entry<ByteKey, byte[]> record : merged.entrySet()) {
          Encoding.writeBytes(out, record.getKey().bytes());
          out.write(record.getValue());
        }
      }
    };
  }

  /** Skips one key's record (blob, hold, timers); whether it deletes the key. */
  private static boolean isDeletion(ByteBuffer in) throws IOException {
    int blob = in.getInt();
    if (blob < -1) {
      throw new IOException("Corrupt keyed state: a negative length " + blob);
    }
    skip(in, Math.max(blob, 0));
    long hold = in.getLong();
    int timers = in.getInt();
    if (timers < 0) {
      throw new IOException("Corrupt keyed state: " + timers + " timers");
    }
    for (int t = 0; t < timers; t++) {
      skip(in, 4 + 8 + 8 + 8);
      int length = in.getInt();
      if (length < 0) {
        throw new IOException("Corrupt keyed state: a negative length " + length);
      }
      skip(in, length);
    }
    return blob == -1 && hold == Watermarks.MAX && timers == 0;
  }

  private static void skip(ByteBuffer in, int length) {
    in.position(in.position() + length);
  }

  private static byte[] bytes(ByteBuffer in, int length) throws IOException {
    if (length < 0) {
      throw new IOException("Corrupt keyed state: a negative length " + length);
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }
}
