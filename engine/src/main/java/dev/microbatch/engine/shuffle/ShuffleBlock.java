package dev.microbatch.engine.shuffle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * What one map task sends one reducer: the elements' encoded keys and the elements, each encoded
 * back to back ({@link EncodedElements}: one allocation per page of a block, not per element). Written by one
 * map task, then read by the reducer's task once the map stage has ended.
 */
public final class ShuffleBlock<T> {
  // A key's bytes as they are.
  private static final ElementCodec<byte[]> RAW =
      new ElementCodec<>() {
        @Override
        public void encode(byte[] key, OutputStream out) throws IOException {
          out.write(key);
        }

        @Override
        public byte[] decode(InputStream in) throws IOException {
          return in.readAllBytes();
        }
      };

  private final EncodedElements<T> elements;
  // The keys' bytes back to back (in pages, as the elements), not a ByteKey per element: a block
  // lives from its map stage to its reduce stage, and two small objects per element held that long
  // were most of what young collections copied (batch Nexmark query 9: 1.7 million of them).
  private final EncodedElements<byte[]> keys = new EncodedElements<>(RAW);

  public ShuffleBlock(ElementCodec<T> codec) {
    this.elements = new EncodedElements<>(codec);
  }

  public int count() {
    return elements.size();
  }

  public long byteSize() {
    return elements.byteSize();
  }

  /** Encodes {@code element} at the end of the block under {@code key}. */
  public void add(ByteKey key, T element) {
    elements.add(element);
    keys.add(key.bytes());
  }

  /** Decodes the block's elements in the order they were added, each paired with its key. */
  public <R> Iterator<R> read(BiFunction<ByteKey, T, R> pair) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < elements.size();
      }

      @Override
      public R next() {
        if (next >= elements.size()) {
          throw new NoSuchElementException();
        }
        T element = elements.get(next);
        return pair.apply(keyAt(next++), element);
      }
    };
  }

  /** The key element {@code index} was added under (a new {@link ByteKey}); nothing is decoded. */
  public ByteKey key(int index) {
    if (index < 0 || index >= elements.size()) {
      throw new IndexOutOfBoundsException("element " + index + " of a block of " + elements.size());
    }
    return keyAt(index);
  }

  private ByteKey keyAt(int index) {
    return ByteKey.of(keys.get(index));
  }

  /** Decodes element {@code index} alone. */
  public T decode(int index) {
    return elements.get(index);
  }
}
