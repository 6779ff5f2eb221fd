package dev.microbatch.engine.dstream;

import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.ShuffleBlock;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * Groups one partition's shuffle blocks by encoded key without decoding them: a group's elements
 * are decoded when the group is first read. A reducer then holds its encoded blocks and the group
 * in hand, not every element of the partition as objects at once. Key order is first seen, and a
 * group's elements keep block (map-task) order, as decoding everything first would give.
 */
final class EncodedGroups {
  private EncodedGroups() {}

  static <T> Iterator<Group<T>> group(Iterator<ShuffleBlock<T>> input) {
    List<ShuffleBlock<T>> blocks = new ArrayList<>();
    Map<ByteKey, Positions> groups = new LinkedHashMap<>();
    while (input.hasNext()) {
      ShuffleBlock<T> block = input.next();
      int blockIndex = blocks.size();
      blocks.add(block);
      for (int i = 0; i < block.count(); i++) {
        groups.computeIfAbsent(block.key(i), k -> new Positions()).add(blockIndex, i);
      }
    }
    Iterator<Map.Entry<ByteKey, Positions>> entries = groups.entrySet().iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public Group<T> next() {
        Map.Entry<ByteKey, Positions> entry = entries.next();
        // Forget the positions as the groups are handed out.
        entries.remove();
        return new Group<>(entry.getKey(), new DecodedOnRead<>(blocks, entry.getValue()));
      }
    };
  }

  /** Where a group's elements are: block and element index packed in one long each. */
  private static final class Positions {
    private long[] packed = new long[2];
    private int size;

    void add(int block, int element) {
      if (size == packed.length) {
        packed = Arrays.copyOf(packed, size * 2);
      }
      packed[size++] = ((long) block << 32) | (element & 0xffffffffL);
    }
  }

  /** A group's elements, all decoded on the first read of any of them. */
  private static final class DecodedOnRead<T> extends AbstractList<T> implements RandomAccess {
    private List<ShuffleBlock<T>> blocks;
    private Positions positions;
    private final int size;
    private Object[] decoded;

    DecodedOnRead(List<ShuffleBlock<T>> blocks, Positions positions) {
      this.blocks = blocks;
      this.positions = positions;
      this.size = positions.size;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
      if (decoded == null) {
        decodeAll();
      }
      return (T) decoded[index];
    }

    private void decodeAll() {
      Object[] elements = new Object[size];
      for (int i = 0; i < size; i++) {
        long at = positions.packed[i];
        elements[i] = blocks.get((int) (at >>> 32)).decode((int) at);
      }
      decoded = elements;
      // A group kept after its batch must not keep the partition's blocks with it.
      blocks = null;
      positions = null;
    }
  }
}
