package dev.microbatch.engine.state;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The binary layout of a keyed-state capture, written by {@link Writer} and read by {@link
 * KeyedCaptureReader}; varints are unsigned LEB128, int64 big-endian:
 *
 * <pre>
 *   byte    1 = whole, 2 = changes since the previous capture
 *   varint  time domains, then per domain: varint the domain's next timer sequence
 *   then per key, in ascending order of the key bytes (unsigned):
 *     varint  key length + 1, key bytes
 *     varint  state blob length + 1 (0: no blob), blob bytes
 *     byte    1 when a watermark hold follows, else 0;  [int64 hold]
 *     varint  timers, then per timer:
 *       byte    domain, plus 128 when the timer holds the watermark
 *       int64   time
 *       varint  sequence
 *       [int64  hold]
 *       varint  0: the timer's bytes follow (varint length, bytes) and, while the file's
 *               dictionary has fewer than 65,536 entries, become its next entry;
 *               n > 0: the same bytes as dictionary entry n - 1
 *   varint  0: no more keys
 * </pre>
 *
 * Timers of many keys are often equal byte for byte (a state-cleanup timer at the end of the same
 * window): the dictionary writes them once per file, and a restore decodes them once. Keys are
 * sorted, so a chain of captures merges in one streaming pass ({@link KeyedCaptureMerge}). A key
 * written with no blob, no timers and no hold is deleted when the capture is applied.
 */
final class KeyedCaptureLayout {
  static final byte WHOLE = 1;
  static final byte CHANGES = 2;
  static final int DICTIONARY_LIMIT = 1 << 16;
  // The timer head's flag: a watermark hold follows the sequence.
  static final int HOLDS = 0x80;

  private KeyedCaptureLayout() {}

  /** One timer as written: {@code dictionaryIndex} is -1 for bytes outside the dictionary. */
  record TimerRecord(int domain, long time, long sequence, long hold, byte[] bytes, int dictionaryIndex) {}

  /**
   * Writes one capture: the header first, then each key with its timers. Buffers in its own array
   * and hands the stream large chunks (a key is a dozen small writes); {@link #end} flushes.
   */
  static final class Writer {
    private final DataOutputStream out;
    private final Map<ByteKey, Integer> dictionary = new HashMap<>();
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    // The timer bytes written last and their dictionary entry: equal timers are often one array.
    private byte[] lastTimer;
    private int lastEntry = -1;

    Writer(DataOutputStream out, boolean whole, long[] nextSequences) throws IOException {
      this.out = out;
      writeByte(whole ? WHOLE : CHANGES);
      varint(nextSequences.length);
      for (long sequence : nextSequences) {
        varint(sequence);
      }
    }

    /** Starts the next key, which must sort after the previous one. */
    void key(byte[] key, StateBytes blob, long hold, int timers) throws IOException {
      if (blob == null || blob.chunks() == 1) {
        byte[] bytes = blob == null ? null : blob.chunk(0);
        key(key, 0, key.length, bytes, 0, bytes == null ? -1 : bytes.length, hold, timers);
        return;
      }
      varint(key.length + 1L);
      write(key, 0, key.length);
      varint(blob.length() + 1L);
      for (int c = 0; c < blob.chunks(); c++) {
        write(blob.chunk(c));
      }
      hold(hold, timers);
    }

    /** {@link #key}, with the key and blob taken where they lie; {@code blobLength} -1: none. */
    void key(byte[] keys, int keyFrom, int keyLength, byte[] blobs, int blobFrom, int blobLength, long hold, int timers)
        throws IOException {
      varint(keyLength + 1L);
      write(keys, keyFrom, keyLength);
      if (blobLength < 0) {
        varint(0);
      } else {
        varint(blobLength + 1L);
        write(blobs, blobFrom, blobLength);
      }
      hold(hold, timers);
    }

    private void hold(long hold, int timers) throws IOException {
      if (hold == Watermarks.MAX) {
        writeByte(0);
      } else {
        writeByte(1);
        writeLong(hold);
      }
      varint(timers);
    }

    /**
     * Writes a timer of the current key; returns the dictionary entry its bytes are (or became),
     * -1 when they were written out because the dictionary is full.
     */
    int timer(int domain, long time, long sequence, long hold, byte[] bytes) throws IOException {
      timerHead(domain, time, sequence, hold);
      if (bytes == lastTimer && lastEntry >= 0) {
        varint(lastEntry + 1L);
        return lastEntry;
      }
      ByteKey content = ByteKey.of(bytes);
      Integer known = dictionary.get(content);
      lastTimer = bytes;
      if (known != null) {
        lastEntry = known;
        varint(known + 1L);
        return known;
      }
      varint(0);
      varint(bytes.length);
      write(bytes);
      lastEntry = -1;
      if (dictionary.size() < DICTIONARY_LIMIT) {
        lastEntry = dictionary.size();
        dictionary.put(content, lastEntry);
      }
      return lastEntry;
    }

    /** Writes a timer whose bytes are dictionary entry {@code entry} (as {@link #timer} returned). */
    void timerEntry(int domain, long time, long sequence, long hold, int entry) throws IOException {
      timerHead(domain, time, sequence, hold);
      varint(entry + 1L);
    }

    private void timerHead(int domain, long time, long sequence, long hold) throws IOException {
      boolean holds = hold != Watermarks.MAX;
      writeByte(domain | (holds ? HOLDS : 0));
      writeLong(time);
      varint(sequence);
      if (holds) {
        writeLong(hold);
      }
    }

    /**
     * Writes a whole record (key, blob, hold and timers) as another capture's bytes hold it, where
     * those bytes mean the same here: every timer names a dictionary entry both files number alike.
     */
    void record(byte[] bytes, int from, int length) throws IOException {
      write(bytes, from, length);
    }

    /** Ends the capture and flushes it to the stream. */
    void end() throws IOException {
      varint(0);
      out.write(buffer, 0, position);
      position = 0;
    }

    private void varint(long value) throws IOException {
      room(10);
      long v = value;
      while ((v & ~0x7FL) != 0) {
        buffer[position++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buffer[position++] = (byte) v;
    }

    private void writeByte(int value) throws IOException {
      room(1);
      buffer[position++] = (byte) value;
    }

    private void writeLong(long value) throws IOException {
      room(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buffer[position++] = (byte) (value >>> shift);
      }
    }

    private void write(byte[] bytes) throws IOException {
      write(bytes, 0, bytes.length);
    }

    private void write(byte[] bytes, int from, int length) throws IOException {
      if (length > buffer.length / 2) {
        out.write(buffer, 0, position);
        position = 0;
        out.write(bytes, from, length);
        return;
      }
      room(length);
      System.arraycopy(bytes, from, buffer, position, length);
      position += length;
    }

    /** Makes room for {@code bytes} more, handing what is buffered to the stream if need be. */
    private void room(int bytes) throws IOException {
      if (position + bytes > buffer.length) {
        out.write(buffer, 0, position);
        position = 0;
      }
    }
  }
}
