package dev.microbatch.engine.shuffle;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * Elements encoded back to back in a few byte arrays (segments), with where each ends: a handful
 * of allocations per list, not one per element. The first segment grows by doubling (copied) up
 * to {@link #SEGMENTING_BYTES}; past that, a full segment is followed by one twice its size and its
 * bytes stay where they are: only the element being written moves. So a large list is never
 * copied as it grows and leaves no dead large arrays behind (doubling one array allocated and
 * copied about as much again as it kept), while every segment it keeps is large enough to be a
 * humongous object for G1, which young collections never copy (small segments that outlive a young
 * collection are copied: Nexmark query 10 was 7% slower with higher peak RSS when every segment
 * started small). An element never spans two segments. Written by one thread, then read by any
 * number; every read decodes a fresh element, so readers never share objects.
 */
public final class EncodedElements<T> extends AbstractList<T> implements RandomAccess {
  private static final int INITIAL_BYTES = ArrayLengths.bytesAtLeast(200);
  private static final int INITIAL_ELEMENTS = ArrayLengths.intsAtLeast(12);
  // Humongous for G1 with regions of up to 8 MB (heaps up to about 16 GB). Every segment length
  // comes from ArrayLengths, so segments fill whole regions.
  static final int SEGMENTING_BYTES = ArrayLengths.bytesAtLeast(4 << 20);

  private final ElementCodec<T> codec;
  private final Appender appender = new Appender();
  // Where each element ends, counting the bytes of all segments before it.
  private int[] ends = new int[INITIAL_ELEMENTS];
  private byte[][] segments = {new byte[INITIAL_BYTES]};
  // The position of each segment's first byte among all bytes (a segment holds no unused gap).
  private int[] bases = {0};
  private int segmentCount = 1;
  // The segment being written, and its base.
  private byte[] data = segments[0];
  private int base;
  private int bytes;
  private int count;

  public EncodedElements(ElementCodec<T> codec) {
    this.codec = codec;
  }

  @Override
  public int size() {
    return count;
  }

  /** The encoded bytes held. */
  public int byteSize() {
    return bytes;
  }

  /** Encodes {@code element} at the end; a failed encoding leaves the list as it was. */
  @Override
  public boolean add(T element) {
    int start = bytes;
    try {
      codec.encode(element, appender);
    } catch (Exception e) {
      bytes = start;
      throw new ShuffleCodecException("Encoding an element with " + codec + " failed", e);
    }
    if (count == ends.length) {
      ends = ArrayLengths.grown(ends);
    }
    ends[count++] = bytes;
    return true;
  }

  /** Decodes element {@code index}. */
  @Override
  public T get(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("element " + index + " of " + count);
    }
    int start = index == 0 ? 0 : ends[index - 1];
    int segment = segmentOf(start);
    int offset = bases[segment];
    Slice slice = new Slice(segments[segment], start - offset, ends[index] - offset);
    try {
      return codec.decode(slice);
    } catch (Exception e) {
      throw new ShuffleCodecException("Decoding an element with " + codec + " failed", e);
    }
  }

  /** The last segment starting at or before {@code position}: the one holding its element. */
  private int segmentOf(int position) {
    int low = 0;
    int high = segmentCount - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (bases[middle] <= position) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  /**
   * Makes room for {@code extra} more bytes of the element being written: a larger first segment
   * while it is small, else a new segment, where the bytes the element wrote so far move so it
   * stays in one segment.
   */
  private void grow(int extra) {
    if (segmentCount == 1 && data.length < SEGMENTING_BYTES) {
      data = ArrayLengths.grown(data, bytes + extra);
      segments[0] = data;
      return;
    }
    int start = count == 0 ? 0 : ends[count - 1];
    int written = bytes - start;
    byte[] next = new byte[ArrayLengths.bytesAtLeast(Math.max(data.length + 1, written + extra))];
    System.arraycopy(data, start - base, next, 0, written);
    if (segmentCount == segments.length) {
      segments = Arrays.copyOf(segments, segmentCount * 2);
      bases = Arrays.copyOf(bases, segmentCount * 2);
    }
    segments[segmentCount] = next;
    bases[segmentCount] = start;
    segmentCount++;
    data = next;
    base = start;
  }

  /** Appends to the bytes. */
  private final class Appender extends OutputStream {
    @Override
    public void write(int b) {
      if (bytes - base == data.length) {
        grow(1);
      }
      data[bytes - base] = (byte) b;
      bytes++;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
      if (bytes - base + length > data.length) {
        grow(length);
      }
      System.arraycopy(source, offset, data, bytes - base, length);
      bytes += length;
    }
  }

  /** One element's bytes in its segment: a stream that ends where the element ends. */
  private static final class Slice extends InputStream {
    private final byte[] data;
    private int position;
    private final int end;

    Slice(byte[] data, int start, int end) {
      this.data = data;
      this.position = start;
      this.end = end;
    }

    @Override
    public int read() {
      return position < end ? data[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      int available = end - position;
      if (available <= 0) {
        return -1;
      }
      int n = Math.min(length, available);
      System.arraycopy(data, position, target, offset, n);
      position += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, Math.min(n, end - position));
      position += (int) skipped;
      return skipped;
    }

    @Override
    public int available() {
      return end - position;
    }
  }
}
