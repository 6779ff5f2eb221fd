package dev.microbatch.streaming;

import dev.microbatch.streaming.function.Function;
import dev.microbatch.streaming.function.Function2;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A batch of key-value pairs as a dataset (see {@link JavaRDD}): keys compare with {@code
 * equals}; results that group by key come in one partition, keys in first-seen order.
 */
public class JavaPairRDD<K, V> extends JavaRDD<Tuple2<K, V>> {

  JavaPairRDD(List<List<Tuple2<K, V>>> partitions) {
    super(partitions);
  }

  static <K, V> JavaPairRDD<K, V> ofPairs(List<List<Tuple2<K, V>>> partitions) {
    return new JavaPairRDD<>(partitions);
  }

  /** A dataset of pairs as a pair dataset, as Spark's {@code JavaPairRDD.fromJavaRDD}. */
  public static <K, V> JavaPairRDD<K, V> fromJavaRDD(JavaRDD<Tuple2<K, V>> rdd) {
    return rdd instanceof JavaPairRDD<K, V> pairs ? pairs : new JavaPairRDD<>(rdd.partitions());
  }

  private static <K, V> JavaPairRDD<K, V> single(List<Tuple2<K, V>> pairs) {
    return new JavaPairRDD<>(List.of(pairs));
  }

  /** Each key's value; a key that occurs twice keeps its last value. */
  public Map<K, V> collectAsMap() {
    Map<K, V> map = new LinkedHashMap<>();
    for (Tuple2<K, V> pair : collect()) {
      map.put(pair._1(), pair._2());
    }
    return map;
  }

  public JavaRDD<K> keys() throws Exception {
    return map(Tuple2::_1);
  }

  public JavaRDD<V> values() throws Exception {
    return map(Tuple2::_2);
  }

  @Override
  public JavaPairRDD<K, V> filter(Function<? super Tuple2<K, V>, Boolean> predicate) throws Exception {
    return new JavaPairRDD<>(super.filter(predicate).partitions());
  }

  public <W> JavaPairRDD<K, W> mapValues(Function<? super V, ? extends W> fn) throws Exception {
    return new JavaPairRDD<>(map(pair -> new Tuple2<K, W>(pair._1(), fn.call(pair._2()))).partitions());
  }

  public JavaPairRDD<K, V> reduceByKey(Function2<V, V, V> fn) throws Exception {
    Map<K, V> reduced = new LinkedHashMap<>();
    for (Tuple2<K, V> pair : collect()) {
      V old = reduced.get(pair._1());
      reduced.put(pair._1(), old == null && !reduced.containsKey(pair._1()) ? pair._2() : fn.call(old, pair._2()));
    }
    return single(pairsOf(reduced));
  }

  public JavaPairRDD<K, Iterable<V>> groupByKey() {
    Map<K, List<V>> groups = groups(this);
    List<Tuple2<K, Iterable<V>>> out = new ArrayList<>(groups.size());
    groups.forEach((key, values) -> out.add(new Tuple2<>(key, values)));
    return single(out);
  }

  /** Pairs of values of keys both sides have. */
  public <W> JavaPairRDD<K, Tuple2<V, W>> join(JavaPairRDD<K, W> other) {
    Map<K, List<W>> right = groups(other);
    List<Tuple2<K, Tuple2<V, W>>> out = new ArrayList<>();
    for (Tuple2<K, V> pair : collect()) {
      for (W w : right.getOrDefault(pair._1(), List.of())) {
        out.add(new Tuple2<>(pair._1(), new Tuple2<>(pair._2(), w)));
      }
    }
    return single(out);
  }

  /** Every pair of this side, with each matching value of {@code other} or none. */
  public <W> JavaPairRDD<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairRDD<K, W> other) {
    Map<K, List<W>> right = groups(other);
    List<Tuple2<K, Tuple2<V, Optional<W>>>> out = new ArrayList<>();
    for (Tuple2<K, V> pair : collect()) {
      List<W> matches = right.getOrDefault(pair._1(), List.of());
      if (matches.isEmpty()) {
        out.add(new Tuple2<>(pair._1(), new Tuple2<>(pair._2(), Optional.empty())));
      }
      for (W w : matches) {
        out.add(new Tuple2<>(pair._1(), new Tuple2<>(pair._2(), Optional.ofNullable(w))));
      }
    }
    return single(out);
  }

  public JavaPairRDD<K, V> union(JavaPairRDD<K, V> other) {
    List<List<Tuple2<K, V>>> all = new ArrayList<>(partitions());
    all.addAll(other.partitions());
    return new JavaPairRDD<>(all);
  }

  private static <K, V> Map<K, List<V>> groups(JavaPairRDD<K, V> rdd) {
    Map<K, List<V>> groups = new LinkedHashMap<>();
    for (Tuple2<K, V> pair : rdd.collect()) {
      groups.computeIfAbsent(pair._1(), k -> new ArrayList<>()).add(pair._2());
    }
    return groups;
  }

  private static <K, V> List<Tuple2<K, V>> pairsOf(Map<K, V> map) {
    List<Tuple2<K, V>> pairs = new ArrayList<>(map.size());
    map.forEach((key, value) -> pairs.add(new Tuple2<>(key, value)));
    return pairs;
  }
}
