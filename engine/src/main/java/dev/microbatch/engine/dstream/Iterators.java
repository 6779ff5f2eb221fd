package dev.microbatch.engine.dstream;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Predicate;

/** Lazy iterator combinators used to fuse narrow operations. */
final class Iterators {
  private Iterators() {}

  static <T, U> Iterator<U> map(Iterator<T> input, Function<? super T, ? extends U> fn) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public U next() {
        return fn.apply(input.next());
      }
    };
  }

  static <T> Iterator<T> filter(Iterator<T> input, Predicate<? super T> predicate) {
    return new Iterator<>() {
      private T next;
      private boolean ready;

      @Override
      public boolean hasNext() {
        while (!ready && input.hasNext()) {
          T candidate = input.next();
          if (predicate.test(candidate)) {
            next = candidate;
            ready = true;
          }
        }
        return ready;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ready = false;
        T result = next;
        next = null;
        return result;
      }
    };
  }

  static <T, U> Iterator<U> flatMap(
      Iterator<T> input, Function<? super T, ? extends Iterable<? extends U>> fn) {
    return new Iterator<>() {
      private Iterator<? extends U> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && input.hasNext()) {
          current = fn.apply(input.next()).iterator();
        }
        return current.hasNext();
      }

      @Override
      public U next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  static <T> Iterator<T> concat(Iterator<Iterator<T>> parts) {
    return new Iterator<>() {
      private Iterator<T> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && parts.hasNext()) {
          current = parts.next();
        }
        return current.hasNext();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
