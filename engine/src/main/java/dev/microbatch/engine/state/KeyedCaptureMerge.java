package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.StateCapture;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merges a chain of keyed-state captures ({@link KeyedCaptureLayout}: a whole one, then the changes
 * since, oldest first) into one whole capture, in one streaming pass as the capture is written:
 * every file is sorted by key, so the merge walks them side by side, each key's newest record wins
 * and a key whose newest record deletes it drops out. Nothing is held but one record per file, so
 * compacting a partition of millions of keys needs no second copy of its state, and every object
 * it makes dies young.
 */
public final class KeyedCaptureMerge implements StateCapture {
  private final List<KeyedCaptureReader> chain;
  private final long[] nextSequences;
  private long written = -1;

  /**
   * One file's current key, read in place; the rest of its record is read only once the merge
   * knows whether it is written or superseded. {@code age} orders files, newest highest.
   */
  private static final class Cursor {
    final KeyedCaptureReader reader;
    final byte[] bytes;
    final int age;
    int keyAt = -1;
    int keyLength;
    // For each entry of this file's timer dictionary, the output's entry of the same bytes (-1:
    // not known yet): equal timers are looked up by content once per file, not once per record.
    int[] outputEntries = new int[0];
    // The key's first 8 bytes, big-endian, padded with 0: orders most keys without reading them.
    long prefix;

    Cursor(KeyedCaptureReader reader, int age) {
      this.reader = reader;
      this.bytes = reader.array();
      this.age = age;
    }

    /** Reads the next key (the previous record must have been read to its end); false after the last. */
    boolean advance() throws IOException {
      int previousAt = keyAt;
      int previousLength = keyLength;
      long previousPrefix = prefix;
      keyAt = reader.nextKeyAt();
      if (keyAt < 0) {
        return false;
      }
      keyLength = reader.keyLength();
      prefix = ChangeLog.prefixOf(bytes, keyAt, keyLength);
      if (previousAt >= 0 && compareKey(bytes, previousAt, previousLength, previousPrefix) <= 0) {
        throw new IOException("Corrupt keyed state: keys out of order");
      }
      return true;
    }

    int compareKeys(Cursor other) {
      return compareKey(other.bytes, other.keyAt, other.keyLength, other.prefix);
    }

    /** Compares this cursor's key with the key of {@code length} bytes at {@code at} in {@code array}. */
    int compareKey(byte[] array, int at, int length, long keyPrefix) {
      int byPrefix = Long.compareUnsigned(prefix, keyPrefix);
      if (byPrefix != 0 || (keyLength == length && length <= 8)) {
        return byPrefix;
      }
      return Arrays.compareUnsigned(bytes, keyAt, keyAt + keyLength, array, at, at + length);
    }

    /** Newest first among equal keys, so the record that wins is polled first. */
    int compareTo(Cursor other) {
      int byKey = compareKeys(other);
      return byKey != 0 ? byKey : Integer.compare(other.age, age);
    }

    private void remember(int index, int entry) {
      if (index >= outputEntries.length) {
        int from = outputEntries.length;
        outputEntries = Arrays.copyOf(outputEntries, Math.max(index + 1, from * 2));
        Arrays.fill(outputEntries, from, outputEntries.length, -1);
      }
      outputEntries[index] = entry;
    }

    /** Copies the rest of the record to {@code writer} unless it deletes the key; true if written. */
    boolean writeRest(KeyedCaptureLayout.Writer writer) throws IOException {
      // Most records (a whole file's, whose timers the output numbers alike) copy as they are.
      int scanned = reader.scanRest(outputEntries);
      if (scanned == KeyedCaptureReader.REST_SAME_IN) {
        writer.record(bytes, reader.recordAt(), reader.position() - reader.recordAt());
        return true;
      }
      if (scanned == KeyedCaptureReader.REST_DELETES) {
        return false;
      }
      // A record with a timer to map: it has timers, so it deletes nothing.
      reader.rewindToRest();
      int blobAt = reader.blobAt();
      int blobLength = reader.blobLength();
      long hold = reader.hold();
      int timers = reader.timers();
      writer.key(bytes, keyAt, keyLength, bytes, blobAt, blobLength, hold, timers);
      for (int t = 0; t < timers; t++) {
        KeyedCaptureLayout.TimerRecord timer = reader.timer();
        int index = timer.dictionaryIndex();
        int entry = index >= 0 && index < outputEntries.length ? outputEntries[index] : -1;
        if (entry >= 0) {
          writer.timerEntry(timer.domain(), timer.time(), timer.sequence(), timer.hold(), entry);
        } else {
          entry = writer.timer(timer.domain(), timer.time(), timer.sequence(), timer.hold(), timer.bytes());
          if (index >= 0 && entry >= 0) {
            remember(index, entry);
          }
        }
      }
      return true;
    }
  }

  /**
   * A merge of {@code chain}, each span at the start of a keyed capture; reads the headers now,
   * the keys as {@link #writeTo} writes them. Leaves each span just after its capture.
   *
   * @throws IOException if a span holds no keyed capture, or the chain does not start whole
   */
  public KeyedCaptureMerge(List<ByteSpan> chain) throws IOException {
    this.chain = new ArrayList<>(chain.size());
    long[] sequences = null;
    for (ByteSpan in : chain) {
      KeyedCaptureReader reader = new KeyedCaptureReader(in);
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
    // The whole file (the oldest) holds most keys and wins most comparisons: it stays out of the
    // heap, so its records cost one comparison with the newest change instead of a sift.
    Cursor whole = new Cursor(chain.get(0), 0);
    if (!whole.advance()) {
      whole = null;
    }
    MinHeap<Cursor> changes = new MinHeap<>(chain.size(), Cursor::compareTo);
    for (int age = 1; age < chain.size(); age++) {
      Cursor cursor = new Cursor(chain.get(age), age);
      if (cursor.advance()) {
        changes.add(cursor);
      }
    }
    KeyedCaptureLayout.Writer writer = new KeyedCaptureLayout.Writer(out, true, nextSequences);
    long keys = 0;
    while (whole != null || !changes.isEmpty()) {
      if (whole != null && (changes.isEmpty() || whole.compareKeys(changes.top()) < 0)) {
        if (whole.writeRest(writer)) {
          keys++;
        }
        whole = whole.advance() ? whole : null;
        continue;
      }
      Cursor newest = changes.top();
      if (newest.writeRest(writer)) {
        keys++;
      }
      byte[] keyArray = newest.bytes;
      int keyAt = newest.keyAt;
      int keyLength = newest.keyLength;
      long keyPrefix = newest.prefix;
      advance(changes, newest);
      // Older records of the same key are superseded: skipped, never decoded.
      while (!changes.isEmpty() && changes.top().compareKey(keyArray, keyAt, keyLength, keyPrefix) == 0) {
        Cursor older = changes.top();
        older.reader.skipRest();
        advance(changes, older);
      }
      if (whole != null && whole.compareKey(keyArray, keyAt, keyLength, keyPrefix) == 0) {
        whole.reader.skipRest();
        whole = whole.advance() ? whole : null;
      }
    }
    writer.end();
    written = keys;
  }

  /** Moves the top cursor to its next key, or out of the heap after its last. */
  private static void advance(MinHeap<Cursor> heap, Cursor top) throws IOException {
    if (top.advance()) {
      heap.topChanged();
    } else {
      heap.removeTop();
    }
  }
}
