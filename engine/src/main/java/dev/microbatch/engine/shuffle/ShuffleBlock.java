package dev.microbatch.engine.shuffle;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * What one map task sends one reducer: the elements' keys, and the elements encoded back to back
 * ({@link EncodedElements}: one allocation per block, not per element). Written by one map task,
 * then read by the reducer's task once the map stage has ended.
 */
public final class ShuffleBlock<T> {
  private static final int INITIAL_ELEMENTS = 16;

  private final EncodedElements<T> elements;
  private ByteKey[] keys = new ByteKey[INITIAL_ELEMENTS];

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
    if (index == keys.length) {
      keys = Arrays.copyOf(keys, index * 2);
    }
    keys[index] = key;
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
        return pair.apply(keys[next++], element);
      }
    };
  }

  /** The key element {@code index} was added under; nothing is decoded. */
  public ByteKey key(int index) {
    if (index < 0 || index >= elements.size()) {
      throw new IndexOutOfBoundsException("element " + index + " of a block of " + elements.size());
    }
    return keys[index];
  }

  /** Decodes element {@code index} alone. */
  public T decode(int index) {
    return elements.get(index);
  }
}
