package dev.microbatch.streaming;

import dev.microbatch.streaming.function.FlatMapFunction;
import dev.microbatch.streaming.function.Function;
import dev.microbatch.streaming.function.Function2;
import dev.microbatch.streaming.function.PairFunction;
import dev.microbatch.streaming.function.VoidFunction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One batch of a stream as a dataset, as {@code foreachRDD} and {@code transform} see it: the
 * batch's partitions, held in memory. Its operations run where they are called (on the engine's
 * batch thread), eagerly; unlike Spark's RDDs they are not distributed further.
 */
public class JavaRDD<T> {
  private final List<List<T>> partitions;

  JavaRDD(List<List<T>> partitions) {
    List<List<T>> copy = new ArrayList<>(partitions.size());
    for (List<T> part : partitions) {
      copy.add(Collections.unmodifiableList(part));
    }
    this.partitions = Collections.unmodifiableList(copy);
  }

  static <T> JavaRDD<T> of(List<List<T>> partitions) {
    return new JavaRDD<>(partitions);
  }

  List<List<T>> partitions() {
    return partitions;
  }

  public int getNumPartitions() {
    return partitions.size();
  }

  /** Every element, partition by partition. */
  public List<T> collect() {
    List<T> all = new ArrayList<>();
    partitions.forEach(all::addAll);
    return all;
  }

  public long count() {
    long count = 0;
    for (List<T> part : partitions) {
      count += part.size();
    }
    return count;
  }

  public boolean isEmpty() {
    return count() == 0;
  }

  /** The first {@code n} elements. */
  public List<T> take(int n) {
    List<T> taken = new ArrayList<>(Math.max(0, Math.min(n, 1024)));
    for (List<T> part : partitions) {
      for (T element : part) {
        if (taken.size() >= n) {
          return taken;
        }
        taken.add(element);
      }
    }
    return taken;
  }

  public T first() {
    List<T> one = take(1);
    if (one.isEmpty()) {
      throw new UnsupportedOperationException("first() of an empty dataset");
    }
    return one.get(0);
  }

  public void foreach(VoidFunction<? super T> fn) throws Exception {
    for (List<T> part : partitions) {
      for (T element : part) {
        fn.call(element);
      }
    }
  }

  public void foreachPartition(VoidFunction<Iterator<T>> fn) throws Exception {
    for (List<T> part : partitions) {
      fn.call(part.iterator());
    }
  }

  public <R> JavaRDD<R> map(Function<? super T, ? extends R> fn) throws Exception {
    List<List<R>> out = new ArrayList<>(partitions.size());
    for (List<T> part : partitions) {
      List<R> mapped = new ArrayList<>(part.size());
      for (T element : part) {
        mapped.add(fn.call(element));
      }
      out.add(mapped);
    }
    return new JavaRDD<>(out);
  }

  public JavaRDD<T> filter(Function<? super T, Boolean> predicate) throws Exception {
    List<List<T>> out = new ArrayList<>(partitions.size());
    for (List<T> part : partitions) {
      List<T> kept = new ArrayList<>();
      for (T element : part) {
        if (predicate.call(element)) {
          kept.add(element);
        }
      }
      out.add(kept);
    }
    return new JavaRDD<>(out);
  }

  public <R> JavaRDD<R> flatMap(FlatMapFunction<? super T, R> fn) throws Exception {
    List<List<R>> out = new ArrayList<>(partitions.size());
    for (List<T> part : partitions) {
      List<R> produced = new ArrayList<>();
      for (T element : part) {
        fn.call(element).forEachRemaining(produced::add);
      }
      out.add(produced);
    }
    return new JavaRDD<>(out);
  }

  public <R> JavaRDD<R> mapPartitions(FlatMapFunction<Iterator<T>, R> fn) throws Exception {
    List<List<R>> out = new ArrayList<>(partitions.size());
    for (List<T> part : partitions) {
      List<R> produced = new ArrayList<>();
      fn.call(part.iterator()).forEachRemaining(produced::add);
      out.add(produced);
    }
    return new JavaRDD<>(out);
  }

  public <K, V> JavaPairRDD<K, V> mapToPair(PairFunction<? super T, K, V> fn) throws Exception {
    List<List<Tuple2<K, V>>> out = new ArrayList<>(partitions.size());
    for (List<T> part : partitions) {
      List<Tuple2<K, V>> mapped = new ArrayList<>(part.size());
      for (T element : part) {
        mapped.add(fn.call(element));
      }
      out.add(mapped);
    }
    return JavaPairRDD.ofPairs(out);
  }

  public T reduce(Function2<T, T, T> fn) throws Exception {
    boolean any = false;
    T result = null;
    for (List<T> part : partitions) {
      for (T element : part) {
        result = any ? fn.call(result, element) : element;
        any = true;
      }
    }
    if (!any) {
      throw new UnsupportedOperationException("reduce() of an empty dataset");
    }
    return result;
  }

  public JavaRDD<T> union(JavaRDD<T> other) {
    List<List<T>> all = new ArrayList<>(partitions);
    all.addAll(other.partitions);
    return new JavaRDD<>(all);
  }

  /** The distinct elements (by {@code equals}), in first-seen order, in one partition. */
  public JavaRDD<T> distinct() {
    return new JavaRDD<>(List.of(new ArrayList<>(new LinkedHashSet<>(collect()))));
  }

  @Override
  public String toString() {
    return "JavaRDD(" + partitions.size() + " partitions, " + count() + " elements)";
  }
}
