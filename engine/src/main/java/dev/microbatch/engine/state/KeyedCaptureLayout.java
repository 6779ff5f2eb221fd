package dev.microbatch.engine.state;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary layout of a keyed-state capture, written by {@link Writer} and read by {@link
 * Reader}; varints are unsigned LEB128, int64 big-endian:
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
  private static final int HOLDS = 0x80;

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
    void key(byte[] key, byte[] blob, long hold, int timers) throws IOException {
      key(key, 0, key.length, blob, 0, blob == null ? -1 : blob.length, hold, timers);
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

  /**
   * Reads one capture, in the order it was written, from a span of a file in memory. A key's fields
   * can be copied out, used where they lie ({@link #nextKeyAt}, {@link #blobAt}), or skipped.
   */
  static final class Reader {
    private final ByteSpan in;
    private final List<byte[]> dictionary = new ArrayList<>();
    private final boolean whole;
    private final long[] nextSequences;
    private int keyLength;
    private int recordAt;
    private int restAt;
    private int blobLength;
    // The bytes of the timer read last, set by timerBytes (which returns its dictionary index).
    private byte[] lastTimerBytes;

    Reader(ByteSpan in) throws IOException {
      this.in = in;
      byte kind = in.readByte();
      if (kind != WHOLE && kind != CHANGES) {
        throw new IOException("Corrupt keyed state: unknown capture kind " + kind);
      }
      this.whole = kind == WHOLE;
      int domains = count("time domains");
      this.nextSequences = new long[domains];
      for (int d = 0; d < domains; d++) {
        nextSequences[d] = in.varint();
      }
    }

    boolean whole() {
      return whole;
    }

    long[] nextSequences() {
      return nextSequences;
    }

    /** The array the span reads, where {@link #nextKeyAt} and {@link #blobAt} point. */
    byte[] array() {
      return in.array();
    }

    /** The next key, then read its blob, hold and timers; null after the last key. */
    ByteKey nextKey() throws IOException {
      int at = nextKeyAt();
      return at < 0 ? null : ByteKey.of(Arrays.copyOfRange(in.array(), at, at + keyLength));
    }

    /**
     * Like {@link #nextKey}: where the key's {@link #keyLength} bytes lie in {@link #array}, or -1
     * after the last key.
     */
    int nextKeyAt() throws IOException {
      recordAt = in.position();
      int lengthPlusOne = count("key bytes");
      if (lengthPlusOne == 0) {
        return -1;
      }
      keyLength = lengthPlusOne - 1;
      int at = in.position();
      in.skip(keyLength);
      restAt = in.position();
      return at;
    }

    int keyLength() {
      return keyLength;
    }

    /** The key's blob, null when it has none. */
    byte[] blob() throws IOException {
      int lengthPlusOne = count("blob bytes");
      return lengthPlusOne == 0 ? null : in.bytes(lengthPlusOne - 1);
    }

    /** Like {@link #blob}: where its {@link #blobLength} bytes lie in {@link #array}. */
    int blobAt() throws IOException {
      blobLength = count("blob bytes") - 1;
      int at = in.position();
      if (blobLength > 0) {
        in.skip(blobLength);
      }
      return at;
    }

    /** The length of the blob {@link #blobAt} found, -1 when the key has none. */
    int blobLength() {
      return blobLength;
    }

    long hold() throws IOException {
      byte flag = in.readByte();
      if (flag != 0 && flag != 1) {
        throw new IOException("Corrupt keyed state: hold flag " + flag);
      }
      return flag == 0 ? Watermarks.MAX : in.readLong();
    }

    int timers() throws IOException {
      return count("timers");
    }

    TimerRecord timer() throws IOException {
      int head = in.readUnsignedByte();
      long time = in.readLong();
      long sequence = in.varint();
      long hold = (head & HOLDS) != 0 ? in.readLong() : Watermarks.MAX;
      int domain = head & ~HOLDS;
      int index = timerBytes();
      return new TimerRecord(domain, time, sequence, hold, lastTimerBytes, index);
    }

    /** What {@link #scanRest} found. */
    static final int REST_DELETES = 0;
    static final int REST_SAME_IN = 1;
    static final int REST_NEEDS_MAPPING = 2;

    /**
     * Reads past the key's blob, hold and timers without decoding them, and says whether the
     * record deletes its key ({@link #REST_DELETES}), or means the same in a file whose dictionary
     * entry {@code outputEntries[i]} holds this file's entry {@code i} ({@link
     * #REST_SAME_IN}: every timer names an entry mapped to the same number), or neither ({@link
     * #REST_NEEDS_MAPPING}: the caller rewinds ({@link #rewindToRest}) and reads the fields). Stops at
     * the first timer that defines a new entry, so it never changes the dictionary.
     */
    int scanRest(int[] outputEntries) throws IOException {
      blobAt();
      boolean holds = hold() != Watermarks.MAX;
      int timers = timers();
      if (blobLength < 0 && !holds && timers == 0) {
        return REST_DELETES;
      }
      for (int t = 0; t < timers; t++) {
        skipTimerHead();
        long reference = in.varint();
        if (reference == 0 || reference > dictionary.size()) {
          return REST_NEEDS_MAPPING;
        }
        int index = (int) reference - 1;
        if (index >= outputEntries.length || outputEntries[index] != index) {
          return REST_NEEDS_MAPPING;
        }
      }
      return REST_SAME_IN;
    }

    /** Where the current key's record began (its key length), for {@link #scanRest}'s caller. */
    int recordAt() {
      return recordAt;
    }

    /** Goes back to the current record's blob, to read its fields again after {@link #scanRest}. */
    void rewindToRest() {
      in.rewind(restAt);
    }

    /** The position after what has been read. */
    int position() {
      return in.position();
    }

    /** Reads past a key's blob, hold and timers (the timers' new bytes still join the dictionary). */
    void skipRest() throws IOException {
      blobAt();
      hold();
      int timers = timers();
      for (int t = 0; t < timers; t++) {
        skipTimerHead();
        timerBytes();
      }
    }

    /** Reads past a timer's domain, time, sequence and hold, up to its bytes or reference. */
    private void skipTimerHead() throws IOException {
      int head = in.readUnsignedByte();
      in.skip(8);
      in.varint();
      if ((head & HOLDS) != 0) {
        in.skip(8);
      }
    }

    /** Reads a timer's bytes (or its dictionary reference) into {@link #lastTimerBytes}. */
    private int timerBytes() throws IOException {
      long reference = in.varint();
      if (reference > 0) {
        if (reference > dictionary.size()) {
          throw new IOException(
              "Corrupt keyed state: timer " + reference + " of a dictionary of " + dictionary.size());
        }
        int index = (int) reference - 1;
        lastTimerBytes = dictionary.get(index);
        return index;
      }
      lastTimerBytes = in.bytes(count("timer bytes"));
      if (dictionary.size() < DICTIONARY_LIMIT) {
        dictionary.add(lastTimerBytes);
        return dictionary.size() - 1;
      }
      return -1;
    }

    private int count(String what) throws IOException {
      long value = in.varint();
      if (value > Integer.MAX_VALUE) {
        throw new IOException("Corrupt keyed state: " + value + " " + what);
      }
      return (int) value;
    }
  }
}
