package dev.microbatch.engine.state;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A binary min-heap whose top can change in place ({@link #topChanged}: one sift down), which a
 * k-way merge needs for every record it takes: half the comparisons of a poll followed by an add.
 */
final class MinHeap<T> {
  private final Comparator<? super T> order;
  private Object[] items;
  private int size;

  MinHeap(int capacity, Comparator<? super T> order) {
    this.order = order;
    this.items = new Object[Math.max(1, capacity)];
  }

  boolean isEmpty() {
    return size == 0;
  }

  void add(T item) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    int at = size++;
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (order.compare(item, get(parent)) >= 0) {
        break;
      }
      items[at] = items[parent];
      at = parent;
    }
    items[at] = item;
  }

  T top() {
    return get(0);
  }

  /** Restores the order after the top item's key grew. */
  void topChanged() {
    siftDown(get(0));
  }

  /** Removes the top item. */
  void removeTop() {
    T last = get(--size);
    items[size] = null;
    if (size > 0) {
      siftDown(last);
    }
  }

  private void siftDown(T item) {
    int at = 0;
    int half = size >>> 1;
    while (at < half) {
      int child = 2 * at + 1;
      int right = child + 1;
      if (right < size && order.compare(get(right), get(child)) < 0) {
        child = right;
      }
      if (order.compare(item, get(child)) <= 0) {
        break;
      }
      items[at] = items[child];
      at = child;
    }
    items[at] = item;
  }

  @SuppressWarnings("unchecked")
  private T get(int at) {
    return (T) items[at];
  }
}
