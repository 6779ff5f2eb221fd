package dev.microbatch.engine.shuffle;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * What one map task sends one reducer: the elements' keys, and the elements encoded back to back
 * in one growing byte array (one allocation per block, not per element). Written by one map task,
 * then read by the reducer's task once the map stage has ended.
 */
public final class ShuffleBlock<T> {
  private static final int INITIAL_BYTES = 256;
  private static final int INITIAL_ELEMENTS = 16;

  private final ElementCodec<T> codec;
  private final Appender appender = new Appender();
  private ByteKey[] keys = new ByteKey[INITIAL_ELEMENTS];
  private int[] ends = new int[INITIAL_ELEMENTS];
  private byte[] data = new byte[INITIAL_BYTES];
  private int size;
  private int count;

  public ShuffleBlock(ElementCodec<T> codec) {
    this.codec = codec;
  }

  public int count() {
    return count;
  }

  public int byteSize() {
    return size;
  }

  /** Encodes {@code element} at the end of the block under {@code key}. */
  public void add(ByteKey key, T element) {
    int start = size;
    try {
      codec.encode(element, appender);
    } catch (Exception e) {
      size = start;
      throw new ShuffleCodecException("Encoding an element with " + codec + " failed", e);
    }
    if (count == keys.length) {
      keys = Arrays.copyOf(keys, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
    }
    keys[count] = key;
    ends[count] = size;
    count++;
  }

  /** Decodes the block's elements in the order they were added, each paired with its key. */
  public <R> Iterator<R> read(BiFunction<ByteKey, T, R> pair) {
    return new Iterator<>() {
      private final Slice slice = new Slice();
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public R next() {
        if (next >= count) {
          throw new NoSuchElementException();
        }
        T element = decode(next, slice);
        return pair.apply(keys[next++], element);
      }
    };
  }

  /** The key element {@code index} was added under; nothing is decoded. */
  public ByteKey key(int index) {
    checkIndex(index);
    return keys[index];
  }

  /** Decodes element {@code index} alone. */
  public T decode(int index) {
    checkIndex(index);
    return decode(index, new Slice());
  }

  private T decode(int index, Slice slice) {
    slice.reset(index == 0 ? 0 : ends[index - 1], ends[index]);
    try {
      return codec.decode(slice);
    } catch (Exception e) {
      throw new ShuffleCodecException("Decoding an element with " + codec + " failed", e);
    }
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("element " + index + " of a block of " + count);
    }
  }

  private void ensureCapacity(int extra) {
    if (size + extra > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, size + extra));
    }
  }

  /** Appends to the block's bytes. */
  private final class Appender extends OutputStream {
    @Override
    public void write(int b) {
      ensureCapacity(1);
      data[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      ensureCapacity(length);
      System.arraycopy(bytes, offset, data, size, length);
      size += length;
    }
  }

  /** One element's bytes: a stream that ends where the element ends. */
  private final class Slice extends InputStream {
    private int position;
    private int end;

    void reset(int start, int end) {
      this.position = start;
      this.end = end;
    }

    @Override
    public int read() {
      return position < end ? data[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      int available = end - position;
      if (available <= 0) {
        return -1;
      }
      int n = Math.min(length, available);
      System.arraycopy(data, position, bytes, offset, n);
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
