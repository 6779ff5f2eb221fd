package dev.microbatch.engine.dstream;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Several readers of one stream's partition, each a chain of fused operators, fed in one task by
 * one pass over the stream ({@link Tee}) and pulled in turns: always the chain whose branch has
 * read least, so that the elements one chain has read and another not yet stay few. Yields the
 * chains' elements interleaved, with the index of the chain each came from.
 */
final class TeeReaders<S> {
  // Elements held between the slowest and the fastest chain before the rest of a partition is
  // drained into one list (a chain that reads everything before it yields anything).
  static final int WINDOW_LIMIT = 65_536;

  private final Tee<S> tee;
  private final Iterator<? extends Iterator<S>> unhanded;
  private final List<Iterator<S>> handed = new ArrayList<>();
  private final List<Iterator<?>> chains = new ArrayList<>();
  private final List<Iterator<S>> branchOf = new ArrayList<>();
  private final List<Boolean> done = new ArrayList<>();
  private Object element;
  private int from = -1;
  private boolean ready;

  /** Starts the pass over {@code shared}'s partition; the readers' chains are built next. */
  TeeReaders(DStream<S> shared, int readers, TaskContext task) throws Exception {
    this.tee =
        new Tee<>(
            shared.iterator(task.partition(), task), readers, WINDOW_LIMIT, shared::newStoredList);
    this.unhanded = tee.branches().iterator();
    task.readThrough(shared, this::handOut);
  }

  /** Builds one reader's chain: the stream that reads {@code shared} through fused operators. */
  void addChain(DStream<?> end, TaskContext task) throws Exception {
    int before = handed.size();
    Iterator<?> chain = end.iterator(task.partition(), task);
    chains.add(chain);
    branchOf.add(handed.size() > before ? handed.get(before) : null);
    done.add(false);
  }

  /** Whether a chain has another element; pulls it from the chain furthest behind. */
  boolean advance() {
    if (ready) {
      return true;
    }
    while (true) {
      int next = furthestBehind();
      if (next < 0) {
        return false;
      }
      int before = handed.size();
      Iterator<?> chain = chains.get(next);
      boolean has = chain.hasNext();
      if (branchOf.get(next) == null && handed.size() > before) {
        // A chain that asks for its input only when first pulled.
        branchOf.set(next, handed.get(before));
      }
      if (has) {
        element = chain.next();
        from = next;
        ready = true;
        return true;
      }
      done.set(next, true);
      if (branchOf.get(next) == null) {
        // It ended without reading the shared stream: the branch it would have read is spare.
        branchOf.set(next, handOut());
      }
      tee.release(branchOf.get(next));
    }
  }

  /** The chain the element {@link #take} returns next comes from. */
  int from() {
    return from;
  }

  @SuppressWarnings("unchecked")
  <T> T take() {
    if (!advance()) {
      throw new NoSuchElementException();
    }
    ready = false;
    return (T) element;
  }

  private Iterator<S> handOut() {
    Iterator<S> branch = unhanded.next();
    handed.add(branch);
    return branch;
  }

  /** The chain not done whose branch has read least; one not yet reading counts as furthest. */
  private int furthestBehind() {
    int behind = -1;
    long least = Long.MAX_VALUE;
    for (int c = 0; c < chains.size(); c++) {
      if (done.get(c)) {
        continue;
      }
      Iterator<S> branch = branchOf.get(c);
      long position = branch == null ? -1 : tee.position(branch);
      if (position < least) {
        least = position;
        behind = c;
      }
    }
    return behind;
  }
}
