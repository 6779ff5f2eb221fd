package dev.microbatch.translation.functions;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;

/** A read-only list over immutable chunks, so that a snapshot costs one entry per chunk. */
final class ChunkedList<T> extends AbstractList<T> {
  private final List<List<T>> chunks;
  private final int size;

  ChunkedList(List<List<T>> chunks) {
    this.chunks = List.copyOf(chunks);
    int total = 0;
    for (List<T> chunk : this.chunks) {
      total += chunk.size();
    }
    this.size = total;
  }

  @Override
  public T get(int index) {
    int remaining = index;
    for (List<T> chunk : chunks) {
      if (remaining < chunk.size()) {
        return chunk.get(remaining);
      }
      remaining -= chunk.size();
    }
    throw new IndexOutOfBoundsException(index);
  }

  @Override
  public Iterator<T> iterator() {
    return chunks.stream().flatMap(List::stream).iterator();
  }

  @Override
  public int size() {
    return size;
  }
}
