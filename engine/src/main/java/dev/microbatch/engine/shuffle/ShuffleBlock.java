package dev.microbatch.engine.shuffle;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * What one map task sends one reducer: the elements' encoded keys and the elements, each encoded
 * back to back ({@link EncodedElements}: a few allocations per block, not one per element).
 * Written by one map task, then read by the reducer's task once the map stage has ended.
 */
public final class ShuffleBlock<T> {
  private static final int INITIAL_ELEMENTS = ArrayLengths.intsAtLeast(12);
  private static final int INITIAL_KEY_BYTES = ArrayLengths.bytesAtLeast(200);

  private final EncodedElements<T> elements;
  // The keys' bytes back to back and where each ends, not a ByteKey per element: a block lives
  // from its map stage to its reduce stage, and two small objects per element held that long were
  // most of what young collections copied (batch Nexmark query 9: 1.7 million of them).
  private byte[] keyData = new byte[INITIAL_KEY_BYTES];
  private int[] keyEnds = new int[INITIAL_ELEMENTS];
  private int keyBytes;

  public ShuffleBlock(ElementCodec<T> codec) {
    this.elements = new EncodedElements<>(codec);
  }

  public int count() {
    return elements.size();
  }

  public int byteSize() {
    return elements.byteSize();
  }

  /** Encodes {@code element} at the end of the block under {@code key}. */
  public void add(ByteKey key, T element) {
    int index = elements.size();
    elements.add(element);
    byte[] bytes = key.bytes();
    if (index == keyEnds.length) {
      keyEnds = ArrayLengths.grown(keyEnds);
    }
    if (keyBytes + bytes.length > keyData.length) {
      keyData = ArrayLengths.grown(keyData, keyBytes + bytes.length);
    }
    System.arraycopy(bytes, 0, keyData, keyBytes, bytes.length);
    keyBytes += bytes.length;
    keyEnds[index] = keyBytes;
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
    return ByteKey.of(Arrays.copyOfRange(keyData, index == 0 ? 0 : keyEnds[index - 1], keyEnds[index]));
  }

  /** Decodes element {@code index} alone. */
  public T decode(int index) {
    return elements.get(index);
  }
}
