package dev.microbatch.engine.shuffle;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * Elements encoded back to back in one growing byte array, with where each ends: one allocation
 * per list, not per element. Written by one thread, then read by any number; every read decodes
 * a fresh element, so readers never share objects.
 */
public final class EncodedElements<T> extends AbstractList<T> implements RandomAccess {
  private static final int INITIAL_BYTES = 256;
  private static final int INITIAL_ELEMENTS = 16;

  private final ElementCodec<T> codec;
  private final Appender appender = new Appender();
  private int[] ends = new int[INITIAL_ELEMENTS];
  private byte[] data = new byte[INITIAL_BYTES];
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
    Slice slice = new Slice(index == 0 ? 0 : ends[index - 1], ends[index]);
    try {
      return codec.decode(slice);
    } catch (Exception e) {
      throw new ShuffleCodecException("Decoding an element with " + codec + " failed", e);
    }
  }

  private void ensureCapacity(int extra) {
    if (bytes + extra > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, bytes + extra));
    }
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
  private final class Slice extends InputStream {
    private int position;
    private final int end;

    Slice(int start, int end) {
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
