package dev.microbatch.engine.shuffle;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Elements encoded back to back in pages of bytes, with where each ends: one allocation per page,
 * not per element. A page grows by doubling up to {@link #PAGE_BYTES}; then an element that does
 * not fit starts a new page, so no element spans two. One growing array (the design before) became
 * arrays of many MB, copied at each doubling and humongous for G1: most of the humongous bytes
 * Nexmark query 10 allocated (JFR). Written by one thread, then read by any number; every read
 * decodes a fresh element, so readers never share objects.
 */
public final class EncodedElements<T> extends AbstractList<T> implements RandomAccess {
  private static final int INITIAL_BYTES = 256;
  private static final int INITIAL_ELEMENTS = 16;
  // A quarter of G1's smallest region (1 MB): a page is never a humongous object.
  static final int PAGE_BYTES = 256 * 1024;

  private final ElementCodec<T> codec;
  private final Appender appender = new Appender();
  // Where each element ends in its page.
  private int[] ends = new int[INITIAL_ELEMENTS];
  private final List<byte[]> pages = new ArrayList<>();
  // The index of each page's first element.
  private int[] pageFirsts = new int[4];
  private byte[] data = new byte[INITIAL_BYTES];
  // Bytes written to the current page, and to the pages before it.
  private int bytes;
  private long earlierPagesBytes;
  // Where the element being added starts in the current page.
  private int elementStart;
  private int count;

  public EncodedElements(ElementCodec<T> codec) {
    this.codec = codec;
    pages.add(data);
  }

  @Override
  public int size() {
    return count;
  }

  /** The encoded bytes held. */
  public long byteSize() {
    return earlierPagesBytes + bytes;
  }

  /** Encodes {@code element} at the end; a failed encoding leaves the list as it was. */
  @Override
  public boolean add(T element) {
    int pagesBefore = pages.size();
    long earlierBefore = earlierPagesBytes;
    elementStart = bytes;
    int start = bytes;
    try {
      codec.encode(element, appender);
    } catch (Exception e) {
      // Pages the element started are dropped; the page it started in kept its bytes before it.
      while (pages.size() > pagesBefore) {
        pages.remove(pages.size() - 1);
      }
      data = pages.get(pagesBefore - 1);
      bytes = start;
      earlierPagesBytes = earlierBefore;
      throw new ShuffleCodecException("Encoding an element with " + codec + " failed", e);
    }
    if (count == ends.length) {
      ends = Arrays.copyOf(ends, count * 2);
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
    int page = pageOf(index);
    int start = index == pageFirsts[page] ? 0 : ends[index - 1];
    Slice slice = new Slice(pages.get(page), start, ends[index]);
    try {
      return codec.decode(slice);
    } catch (Exception e) {
      throw new ShuffleCodecException("Decoding an element with " + codec + " failed", e);
    }
  }

  // The last page whose first element is at or before index.
  private int pageOf(int index) {
    int low = 0;
    int high = pages.size() - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (pageFirsts[middle] <= index) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  private void ensureCapacity(int extra) {
    int needed = bytes + extra;
    if (needed <= data.length) {
      return;
    }
    if (needed <= PAGE_BYTES || elementStart == 0) {
      // The page grows (an element larger than a page gets a page of its own size).
      int grown = Math.max(Math.min(data.length * 2, PAGE_BYTES), needed);
      data = Arrays.copyOf(data, grown);
      pages.set(pages.size() - 1, data);
      return;
    }
    // A new page, to which the part of the element written so far moves.
    int partial = bytes - elementStart;
    byte[] page = new byte[Math.max(PAGE_BYTES, partial + extra)];
    System.arraycopy(data, elementStart, page, 0, partial);
    earlierPagesBytes += elementStart;
    if (pages.size() == pageFirsts.length) {
      pageFirsts = Arrays.copyOf(pageFirsts, pageFirsts.length * 2);
    }
    pageFirsts[pages.size()] = count;
    pages.add(page);
    data = page;
    bytes = partial;
    elementStart = 0;
  }

  /** Appends to the bytes. */
  private final class Appender extends OutputStream {
    @Override
    public void write(int b) {
      ensureCapacity(1);
      data[bytes++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
      ensureCapacity(length);
      System.arraycopy(source, offset, data, bytes, length);
      bytes += length;
    }
  }

  /** One element's bytes: a stream that ends where the element ends. */
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

    // One copy of exactly the rest (InputStream's own reads through 8 KB buffers).
    @Override
    public byte[] readAllBytes() {
      byte[] rest = Arrays.copyOfRange(data, position, end);
      position = end;
      return rest;
    }
  }
}
