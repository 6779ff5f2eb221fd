package dev.microbatch.engine.state;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one capture ({@link KeyedCaptureLayout}), in the order it was written, from a span of a
 * file in memory. A key's fields can be copied out, used where they lie ({@link #nextKeyAt},
 * {@link #blobAt}), or skipped.
 */
final class KeyedCaptureReader {
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

  KeyedCaptureReader(ByteSpan in) throws IOException {
    this.in = in;
    byte kind = in.readByte();
    if (kind != KeyedCaptureLayout.WHOLE && kind != KeyedCaptureLayout.CHANGES) {
      throw new IOException("Corrupt keyed state: unknown capture kind " + kind);
    }
    this.whole = kind == KeyedCaptureLayout.WHOLE;
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

  KeyedCaptureLayout.TimerRecord timer() throws IOException {
    int head = in.readUnsignedByte();
    long time = in.readLong();
    long sequence = in.varint();
    long hold = (head & KeyedCaptureLayout.HOLDS) != 0 ? in.readLong() : Watermarks.MAX;
    int domain = head & ~KeyedCaptureLayout.HOLDS;
    int index = timerBytes();
    return new KeyedCaptureLayout.TimerRecord(domain, time, sequence, hold, lastTimerBytes, index);
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
    if ((head & KeyedCaptureLayout.HOLDS) != 0) {
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
    if (dictionary.size() < KeyedCaptureLayout.DICTIONARY_LIMIT) {
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
