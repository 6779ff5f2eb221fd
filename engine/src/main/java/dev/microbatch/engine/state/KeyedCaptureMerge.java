package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Merges a chain of keyed-state captures ({@link KeyedCaptureLayout}: a whole one, then the changes
 * since) into one whole capture without a store: each key's last record wins, a key whose last
 * record deletes it drops out. Blobs and timers stay encoded (timers shared by a file's dictionary
 * stay shared), so merging costs a map entry per key, which lets the checkpoint thread compact a
 * chain of millions of keys in about the time it takes to write them.
 */
public final class KeyedCaptureMerge {
  private final Map<ByteKey, KeyRecord> records = new HashMap<>();
  private long[] nextSequences;
  private boolean whole;

  /** A key's last record. */
  private record KeyRecord(byte[] blob, long hold, KeyedCaptureLayout.TimerRecord[] timers) {}

  /**
   * Adds the capture {@code in} holds next; leaves {@code in} just after it.
   *
   * @throws IOException if the bytes are not a keyed capture, or the chain does not start whole
   */
  public void add(DataInputStream in) throws IOException {
    KeyedCaptureLayout.Reader reader = new KeyedCaptureLayout.Reader(in);
    if (reader.whole()) {
      records.clear();
      whole = true;
    } else if (!whole) {
      throw new IOException("A chain of keyed state must start with a whole capture");
    }
    long[] sequences = reader.nextSequences();
    if (nextSequences == null) {
      nextSequences = sequences.clone();
    } else if (sequences.length != nextSequences.length) {
      throw new IOException(
          "Keyed state of " + sequences.length + " timer domains after " + nextSequences.length);
    }
    for (int d = 0; d < sequences.length; d++) {
      nextSequences[d] = Math.max(nextSequences[d], sequences[d]);
    }
    for (int k = 0; k < reader.keys(); k++) {
      ByteKey key = reader.key();
      byte[] blob = reader.blob();
      long hold = reader.hold();
      KeyedCaptureLayout.TimerRecord[] timers = new KeyedCaptureLayout.TimerRecord[reader.timers()];
      for (int t = 0; t < timers.length; t++) {
        timers[t] = reader.timer();
      }
      if (blob == null && hold == Watermarks.MAX && timers.length == 0) {
        records.remove(key);
      } else {
        records.put(key, new KeyRecord(blob, hold, timers));
      }
    }
  }

  /** The merged state as one whole capture; add nothing after. */
  public StateCapture result() {
    if (!whole) {
      throw new IllegalStateException("Nothing merged yet");
    }
    long[] sequences = nextSequences;
    Map<ByteKey, KeyRecord> merged = records;
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
        KeyedCaptureLayout.Writer writer =
            new KeyedCaptureLayout.Writer(out, true, sequences, merged.size());
        for (Map.Entry<ByteKey, KeyRecord> entry : merged.entrySet()) {
          KeyRecord record = entry.getValue();
          writer.key(entry.getKey().bytes(), record.blob(), record.hold(), record.timers().length);
          for (KeyedCaptureLayout.TimerRecord timer : record.timers()) {
            writer.timer(timer.domain(), timer.time(), timer.sequence(), timer.hold(), timer.bytes());
          }
        }
      }
    };
  }
}
