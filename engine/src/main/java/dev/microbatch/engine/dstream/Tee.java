package dev.microbatch.engine.dstream;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * One pass over a partition handed to several readers in the same task, each through a branch of
 * its own that yields every element. Elements a branch has read and another has not yet are kept
 * as objects in a window between the slowest and the fastest branch; the driver keeps that window
 * small by pulling from the branch furthest behind ({@link #position}). Should the window still
 * pass {@code limit} elements (a reader that consumes everything before it yields anything), the rest
 * of the partition is drained into one list, encoded if the stream stores its batches so, which
 * costs what materializing the stream would have.
 */
final class Tee<T> {
  private final Iterator<T> source;
  private final Supplier<List<T>> restList;
  private final int limit;
  private final List<Branch> branches = new ArrayList<>();
  // The window: elements [start, start + size) of the partition, in a ring.
  private Object[] ring = new Object[64];
  private int head;
  private int size;
  private long start;
  // Once the window overflowed: the rest of the partition, from index restStart.
  private List<T> rest;
  private long restStart;

  Tee(Iterator<T> source, int branches, int limit, Supplier<List<T>> restList) {
    this.source = source;
    this.limit = limit;
    this.restList = restList;
    for (int b = 0; b < branches; b++) {
      this.branches.add(new Branch());
    }
  }

  /** The branches, one per reader. */
  List<? extends Iterator<T>> branches() {
    return branches;
  }

  /** How far {@code branch} has read: the index of its next element. */
  long position(Iterator<T> branch) {
    return ((Branch) branch).next;
  }

  /** Marks {@code branch} as read no further, so that it no longer holds elements back. */
  void release(Iterator<T> branch) {
    ((Branch) branch).released = true;
    dropReadByAll();
  }

  /** One reader's view: every element of the partition, in order. */
  private final class Branch implements Iterator<T> {
    private long next;
    private boolean released;

    @Override
    public boolean hasNext() {
      return available(next);
    }

    @Override
    public T next() {
      if (!available(next)) {
        throw new NoSuchElementException();
      }
      T element = at(next);
      next++;
      dropReadByAll();
      return element;
    }
  }

  private boolean available(long index) {
    if (index < start + size) {
      return true;
    }
    if (rest != null) {
      return index - restStart < rest.size();
    }
    if (!source.hasNext()) {
      return false;
    }
    if (size == limit) {
      drainRest();
      return index - restStart < rest.size();
    }
    append(source.next());
    return true;
  }

  @SuppressWarnings("unchecked")
  private T at(long index) {
    if (index < start + size) {
      return (T) ring[(int) ((head + (index - start)) % ring.length)];
    }
    return rest.get((int) (index - restStart));
  }

  private void append(T element) {
    if (size == ring.length) {
      Object[] bigger = new Object[ring.length * 2];
      for (int i = 0; i < size; i++) {
        bigger[i] = ring[(head + i) % ring.length];
      }
      ring = bigger;
      head = 0;
    }
    ring[(head + size) % ring.length] = element;
    size++;
  }

  private void drainRest() {
    rest = restList.get();
    restStart = start + size;
    while (source.hasNext()) {
      rest.add(source.next());
    }
  }

  /** Frees the window's elements every branch has read. */
  private void dropReadByAll() {
    // Stays at the maximum once every branch is released: then everything goes.
    long slowest = Long.MAX_VALUE;
    for (Branch branch : branches) {
      if (!branch.released) {
        slowest = Math.min(slowest, branch.next);
      }
    }
    while (size > 0 && start < slowest) {
      ring[head] = null;
      head = (head + 1) % ring.length;
      size--;
      start++;
    }
  }
}
