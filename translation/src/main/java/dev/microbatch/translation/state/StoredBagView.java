package dev.microbatch.translation.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;

/**
 * A bag's contents as of one read: its stored elements decoded only as they are iterated (each
 * iteration decodes afresh), then the elements added since, as they were then. A GroupByKey's
 * pane holds its values this way until a reader takes them, so a batch that fires many panes at
 * once (every window at the end of a bounded input) holds them as the stored bytes, not as
 * objects. The stored bytes are immutable chunks of the key's state; the view keeps them alive.
 * A list, as the bag's reads were before, but made to be iterated.
 */
final class StoredBagView<T> extends AbstractList<T> {
  private final Coder<T> coder;
  private final List<CellBytes.Bag.Part> parts;
  private final int storedCount;
  private final List<T> added;
  // Where get last stopped: the iterator and the index it returns next.
  private Iterator<T> cursor;
  private int cursorNext;

  /** {@code added} must be the view's own copy. */
  StoredBagView(Coder<T> coder, CellBytes.Bag stored, List<T> added) {
    this.coder = coder;
    this.parts = stored == null ? List.of() : List.copyOf(stored.parts());
    this.storedCount = stored == null ? 0 : stored.count();
    this.added = added;
  }

  @Override
  public int size() {
    return storedCount + added.size();
  }

  /**
   * Decodes on from the last element {@code get} returned, or from the start for an earlier one:
   * reading by index in ascending order (code that treats a pane's values as a list) decodes each
   * element once. Locked, as readers on several threads may share the view.
   */
  @Override
  public synchronized T get(int index) {
    Objects.checkIndex(index, size());
    if (cursor == null || index < cursorNext) {
      cursor = iterator();
      cursorNext = 0;
    }
    while (cursorNext < index) {
      cursor.next();
      cursorNext++;
    }
    cursorNext++;
    return cursor.next();
  }

  // AbstractList compares through get(i): this walks both lists once.
  @Override
  public boolean equals(Object other) {
    if (other == this) {
      return true;
    }
    if (!(other instanceof List<?> list) || list.size() != size()) {
      return false;
    }
    Iterator<?> theirs = list.iterator();
    for (T element : this) {
      if (!Objects.equals(element, theirs.next())) {
        return false;
      }
    }
    return true;
  }

  // AbstractList's, through the iterator; declared beside equals.
  @Override
  public int hashCode() {
    return super.hashCode();
  }

  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private int part = -1;
      private InputStream in;
      private int leftInPart;
      private final Iterator<T> addedElements = added.iterator();

      @Override
      public boolean hasNext() {
        while (leftInPart == 0 && part + 1 < parts.size()) {
          part++;
          in = parts.get(part).bytes().stream();
          leftInPart = parts.get(part).count();
        }
        return leftInPart > 0 || addedElements.hasNext();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        if (leftInPart == 0) {
          return addedElements.next();
        }
        leftInPart--;
        try {
          return coder.decode(in);
        } catch (IOException e) {
          throw new UncheckedIOException("Corrupt keyed state: a bag does not decode", e);
        }
      }
    };
  }
}
