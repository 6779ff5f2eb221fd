package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.event.Watermarks;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges a chain of keyed-state captures ({@link KeyedCaptureLayout}: a whole one, then the changes
 * since, oldest first) into one whole capture, in one streaming pass as the capture is written:
 * every file is sorted by key, so the merge walks them side by side, each key's newest record wins
 * and a key whose newest record deletes it drops out. Nothing is held but one record per file, so
 * compacting a partition of millions of keys needs no second copy of its state, and every object
 * it makes dies young.
 */
public final class KeyedCaptureMerge implements StateCapture {
  private final List<KeyedCaptureLayout.Reader> chain;
  private final long[] nextSequences;
  private long written = -1;

  /** One file's current record; {@code age} orders files, newest highest. */
  private static final class Cursor {
    final KeyedCaptureLayout.Reader reader;
    final int age;
    byte[] key;
    byte[] blob;
    long hold;
    KeyedCaptureLayout.TimerRecord[] timers;

    Cursor(KeyedCaptureLayout.Reader reader, int age) {
      this.reader = reader;
      this.age = age;
    }

    /** Reads the next record; false after the last. */
    boolean advance() throws IOException {
      byte[] previous = key;
      key = reader.nextKeyBytes();
      if (key == null) {
        return false;
      }
      if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
        throw new IOException("Corrupt keyed state: keys out of order");
      }
      blob = reader.blob();
      hold = reader.hold();
      timers = new KeyedCaptureLayout.TimerRecord[reader.timers()];
      for (int t = 0; t < timers.length; t++) {
        timers[t] = reader.timer();
      }
      return true;
    }

    boolean deletes() {
      return blob == null && hold == Watermarks.MAX && timers.length == 0;
    }
  }

  /**
   * A merge of {@code chain}, each stream at the start of a keyed capture; reads the headers now,
   * the keys as {@link #writeTo} writes them. Leaves each stream just after its capture.
   *
   * @throws IOException if a stream holds no keyed capture, or the chain does not start whole
   */
  public KeyedCaptureMerge(List<DataInputStream> chain) throws IOException {
    this.chain = new ArrayList<>(chain.size());
    long[] sequences = null;
    for (DataInputStream in : chain) {
      KeyedCaptureLayout.Reader reader = new KeyedCaptureLayout.Reader(in);
      if (sequences == null) {
        if (!reader.whole()) {
          throw new IOException("A chain of keyed state must start with a whole capture");
        }
        sequences = reader.nextSequences().clone();
      } else if (reader.nextSequences().length != sequences.length) {
        throw new IOException(
            "Keyed state of " + reader.nextSequences().length + " timer domains after " + sequences.length);
      }
      if (reader.whole()) {
        this.chain.clear(); // a whole capture later in the chain replaces all before it
      }
      for (int d = 0; d < sequences.length; d++) {
        sequences[d] = Math.max(sequences[d], reader.nextSequences()[d]);
      }
      this.chain.add(reader);
    }
    if (sequences == null) {
      throw new IOException("A chain of keyed state must start with a whole capture");
    }
    this.nextSequences = sequences;
  }

  @Override
  public boolean full() {
    return true;
  }

  /** The keys the merge wrote; known once {@link #writeTo} has run. */
  @Override
  public long entries() {
    if (written < 0) {
      throw new IllegalStateException("The merge has not been written yet");
    }
    return written;
  }

  @Override
  public void writeTo(DataOutputStream out) throws IOException {
    if (written >= 0) {
      throw new IllegalStateException("A merge is written once");
    }
    PriorityQueue<Cursor> next =
        new PriorityQueue<>(
            Comparator.<Cursor, byte[]>comparing(c -> c.key, Arrays::compareUnsigned)
                .thenComparing(c -> -c.age));
    for (int age = 0; age < chain.size(); age++) {
      Cursor cursor = new Cursor(chain.get(age), age);
      if (cursor.advance()) {
        next.add(cursor);
      }
    }
    KeyedCaptureLayout.Writer writer = new KeyedCaptureLayout.Writer(out, true, nextSequences);
    long keys = 0;
    while (!next.isEmpty()) {
      Cursor newest = next.poll();
      if (!newest.deletes()) {
        writer.key(newest.key, newest.blob, newest.hold, newest.timers.length);
        for (KeyedCaptureLayout.TimerRecord timer : newest.timers) {
          writer.timer(timer.domain(), timer.time(), timer.sequence(), timer.hold(), timer.bytes());
        }
        keys++;
      }
      byte[] key = newest.key;
      // Older records of the same key are superseded.
      while (!next.isEmpty() && Arrays.equals(next.peek().key, key)) {
        Cursor older = next.poll();
        if (older.advance()) {
          next.add(older);
        }
      }
      if (newest.advance()) {
        next.add(newest);
      }
    }
    writer.end();
    written = keys;
  }
}
