package dev.microbatch.engine.state;

import dev.microbatch.engine.shuffle.ArrayLengths;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys one batch changed, each as it was when sealed, encoded into one array in the order they
 * were sealed. The partition's worker seals a key when its task is done with the batch, while the
 * key's objects are still in its cache; a checkpoint thread then reads the records in place
 * (sorted by {@link ChangeLogSort}) instead of chasing each key's objects across the heap, which
 * cost it most of its time (measured). A key sealed twice has two records: the later one is its
 * state. Timers equal to the one recorded before share one array in {@link #timer}.
 *
 * <pre>
 *   per record: varint key length, key bytes
 *               varint blob length + 1 (0: no blob), blob bytes
 *               int64 hold
 *               varint timers, then per timer: byte domain, int64 time, varint sequence,
 *                                               int64 hold, varint index into the timer arrays
 * </pre>
 */
final class ChangeLog {
  private byte[] bytes;
  private int size;
  private int[] offsets;
  // Each record's key's first 8 bytes, big-endian (shorter keys padded with 0): they order most
  // keys alone, without reading the records.
  private long[] prefixes;
  private int records;
  private final List<byte[]> timers = new ArrayList<>();

  ChangeLog(int expectedRecords) {
    int capacity = Math.max(16, expectedRecords);
    bytes = new byte[capacity * 32];
    offsets = new int[capacity];
    prefixes = new long[capacity];
  }

  int records() {
    return records;
  }

  /** How many distinct timer arrays the records refer to (by {@link Reader#timerIndex}). */
  int timers() {
    return timers.size();
  }

  boolean isEmpty() {
    return records == 0;
  }

  /** Discards every record (the batch rolled back). */
  void clear() {
    size = 0;
    records = 0;
    timers.clear();
  }

  /** Appends the record of {@code key}; its timers per domain as {@link TimerIndex#heldTimersOf} gives them. */
  <I, T> void append(ByteKey key, StateBytes blob, long hold, Object[] timersByDomain, TimerCodec<I, T> codec)
      throws IOException {
    byte[] keyBytes = key.bytes();
    startRecord(prefixOf(keyBytes));
    varint(keyBytes.length);
    write(keyBytes, 0, keyBytes.length);
    if (blob == null) {
      varint(0);
    } else {
      varint(blob.length() + 1L);
      for (int c = 0; c < blob.chunks(); c++) {
        byte[] chunk = blob.chunk(c);
        write(chunk, 0, chunk.length);
      }
    }
    writeLong(hold);
    int count = 0;
    for (Object held : timersByDomain) {
      count += TimerIndex.entriesOf(held).length;
    }
    varint(count);
    for (int domain = 0; domain < timersByDomain.length; domain++) {
      for (TimerIndex.Entry<I, T> entry : TimerIndex.<I, T>entriesOf(timersByDomain[domain])) {
        room(1 + 8 + 10 + 8 + 5);
        bytes[size++] = (byte) domain;
        writeLong(entry.time());
        varint(entry.sequence());
        writeLong(entry.hold());
        varint(timerIndexOf(codec.encode(entry.timer())));
      }
    }
  }

  /** One log of the newest record of each key in {@code logs} (oldest first), in key order. */
  static ChangeLog newestOf(List<ChangeLog> logs) {
    long[] newest = ChangeLogSort.newestByKey(logs);
    ChangeLog folded = new ChangeLog(newest.length);
    for (long at : newest) {
      folded.copy(logs.get((int) (at >>> 32)), (int) at);
    }
    return folded;
  }

  /** Appends record {@code record} of {@code from} as it is. */
  private void copy(ChangeLog from, int record) {
    int start = from.offsets[record];
    int end = record + 1 < from.records ? from.offsets[record + 1] : from.size;
    startRecord(from.prefixes[record]);
    Reader reader = new Reader(from, start);
    reader.skipKeyBlobAndHold();
    int headerEnd = reader.position;
    write(from.bytes, start, headerEnd - start);
    int count = reader.varint();
    varint(count);
    for (int t = 0; t < count; t++) {
      int timerStart = reader.position;
      reader.position += 1 + 8;
      reader.varint();
      reader.position += 8;
      write(from.bytes, timerStart, reader.position - timerStart);
      varint(timerIndexOf(from.timers.get(reader.varint())));
    }
    if (reader.position != end) {
      throw new IllegalStateException("Internal error: a change record of " + (end - start) + " bytes copied as " + (reader.position - start));
    }
  }

  long prefix(int record) {
    return prefixes[record];
  }

  /** Compares the keys of two records, unsigned byte by byte (the layout's key order). */
  static int compareKeys(ChangeLog a, int recordA, ChangeLog b, int recordB) {
    Reader ra = new Reader(a, a.offsets[recordA]);
    Reader rb = new Reader(b, b.offsets[recordB]);
    int lengthA = ra.varint();
    int lengthB = rb.varint();
    return Arrays.compareUnsigned(a.bytes, ra.position, ra.position + lengthA, b.bytes, rb.position, rb.position + lengthB);
  }

  /** A reader of record {@code record}. */
  Reader reader(int record) {
    return new Reader(this, offsets[record]);
  }

  private void startRecord(long prefix) {
    if (records == offsets.length) {
      offsets = ArrayLengths.grown(offsets);
      prefixes = Arrays.copyOf(prefixes, offsets.length);
    }
    offsets[records] = size;
    prefixes[records] = prefix;
    records++;
  }

  private int timerIndexOf(byte[] timer) {
    int last = timers.size() - 1;
    if (last >= 0 && (timers.get(last) == timer || Arrays.equals(timers.get(last), timer))) {
      return last;
    }
    timers.add(timer);
    return last + 1;
  }

  static long prefixOf(byte[] key) {
    return prefixOf(key, 0, key.length);
  }

  /** The first 8 bytes of the key at {@code from}, big-endian, padded with 0. */
  static long prefixOf(byte[] bytes, int from, int length) {
    long prefix = 0;
    for (int i = 0; i < 8; i++) {
      prefix = (prefix << 8) | (i < length ? bytes[from + i] & 0xFF : 0);
    }
    return prefix;
  }

  private void varint(long value) {
    room(10);
    long v = value;
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  private void writeLong(long value) {
    room(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (value >>> shift);
    }
  }

  private void write(byte[] from, int start, int length) {
    room(length);
    System.arraycopy(from, start, bytes, size, length);
    size += length;
  }

  private void room(int more) {
    if (size + more > bytes.length) {
      bytes = ArrayLengths.grown(bytes, size + more);
    }
  }

  /** Reads one record's fields in order, where they lie. */
  static final class Reader {
    private final ChangeLog log;
    private int position;
    int keyFrom;
    int keyLength;
    int blobFrom;
    // -1: the key has no blob.
    int blobLength;
    long hold;
    int domain;
    long time;
    long sequence;
    long timerHold;
    byte[] timer;
    // The timer's index among the log's distinct timers.
    int timerIndex;

    private Reader(ChangeLog log, int position) {
      this.log = log;
      this.position = position;
    }

    byte[] bytes() {
      return log.bytes;
    }

    /** Reads the key, blob and hold; returns the number of timers that follow. */
    int readKey() {
      keyLength = varint();
      keyFrom = position;
      position += keyLength;
      blobLength = varint() - 1;
      blobFrom = position;
      position += Math.max(0, blobLength);
      hold = readLong();
      return varint();
    }

    /** Reads the next timer into {@link #domain}, {@link #time}, {@link #sequence}, {@link #timerHold}, {@link #timer}. */
    void readTimer() {
      domain = log.bytes[position++];
      time = readLong();
      sequence = readVarLong();
      timerHold = readLong();
      timerIndex = varint();
      timer = log.timers.get(timerIndex);
    }

    private void skipKeyBlobAndHold() {
      int keyBytes = varint();
      position += keyBytes;
      int blobBytes = varint() - 1;
      position += Math.max(0, blobBytes) + 8;
    }

    private int varint() {
      return (int) readVarLong();
    }

    private long readVarLong() {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = log.bytes[position++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
    }

    private long readLong() {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (log.bytes[position++] & 0xFF);
      }
      return value;
    }
  }
}
