package dev.microbatch.translation.functions;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.util.UserCodeException;

/**
 * The output of a reduce over a partition's groups, one group at a time: a group's output is
 * computed once the previous group's has been read. A reducer then holds one group's values and
 * panes at a time, not the whole partition's (batch Nexmark query 4 had every one of its 980,000
 * joined events live as objects while the join's reducer ran).
 */
final class PerGroupOutput<G, O> implements Iterator<O> {
  /** Reduces one group, adding its output to {@code out}. */
  interface Reducer<G, O> {
    void reduce(G group, List<O> out) throws Exception;
  }

  private final Iterator<G> groups;
  private final Reducer<G, O> reducer;
  private final List<O> pending = new ArrayList<>();
  private int next;

  PerGroupOutput(Iterator<G> groups, Reducer<G, O> reducer) {
    this.groups = groups;
    this.reducer = reducer;
  }

  @Override
  public boolean hasNext() {
    while (next == pending.size()) {
      if (!groups.hasNext()) {
        return false;
      }
      pending.clear();
      next = 0;
      try {
        reducer.reduce(groups.next(), pending);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw UserCodeException.wrap(e);
      }
    }
    return true;
  }

  @Override
  public O next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    O element = pending.get(next);
    pending.set(next++, null);
    return element;
  }
}
