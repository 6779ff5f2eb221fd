package dev.microbatch.streaming;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.Keyed;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.streaming.function.FlatMapFunction;
import dev.microbatch.streaming.function.Function;
import dev.microbatch.streaming.function.Function2;
import dev.microbatch.streaming.internal.Sneaky;
import dev.microbatch.streaming.internal.ValueCodec;
import dev.microbatch.streaming.internal.ValueElementCodec;
import dev.microbatch.streaming.internal.WholeBatchDStream;
import dev.microbatch.streaming.internal.WindowSlots;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the API's operations become engine streams; every user function's exception is rethrown as it is. */
final class Ops {
  private Ops() {}

  static <T, R> DStream<R> map(DStream<T> in, Function<? super T, ? extends R> fn) {
    return in.map(x -> call(fn, x));
  }

  static <T> DStream<T> filter(DStream<T> in, Function<? super T, Boolean> predicate) {
    return in.filter(x -> call(predicate, x));
  }

  static <T, R> DStream<R> flatMap(DStream<T> in, FlatMapFunction<? super T, R> fn) {
    return in.flatMap(x -> (Iterable<R>) () -> call(fn::call, x));
  }

  static <T, R> DStream<R> mapPartitions(DStream<T> in, FlatMapFunction<Iterator<T>, R> fn) {
    return in.mapPartitions("mapPartitions", (input, task) -> fn.call(input));
  }

  static <A, R> R call(Function<A, R> fn, A value) {
    try {
      return fn.call(value);
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
  }

  /**
   * A stage that sees each batch whole (on the batch thread). On batches that are not at the
   * stream's slide it produces nothing: a windowed stream has no batch there.
   */
  static <I, O> DStream<O> wholeBatch(
      DStream<I> in, String name, int slide, WholeBatchDStream.BatchFunction<I, O> fn) {
    return new WholeBatchDStream<I, O>(
        in,
        name,
        (partitions, batchId, batchTime) ->
            batchId % slide == 0 ? fn.apply(partitions, batchId, batchTime) : List.of());
  }

  /** Moves each pair to the partition that owns its encoded key. */
  static <K, V> DStream<Keyed<Tuple2<K, V>>> shuffle(DStream<Tuple2<K, V>> in, ValueCodec codec) {
    return in.shuffleKeyed(pair -> codec.key(pair._1()), new ValueElementCodec<>(codec));
  }

  /**
   * Combines values by key: first within each partition (keys compared with equals), then, after
   * the shuffle, per encoded key.
   */
  static <K, V, C> DStream<Tuple2<K, C>> combineByKey(
      DStream<Tuple2<K, V>> in,
      Function<V, C> create,
      Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners,
      ValueCodec codec) {
    DStream<Tuple2<K, C>> combined =
        in.mapPartitions(
            "combineByKey(map side)",
            (input, task) -> {
              Map<K, C> combiners = new LinkedHashMap<>();
              while (input.hasNext()) {
                Tuple2<K, V> pair = input.next();
                C old = combiners.get(pair._1());
                combiners.put(
                    pair._1(),
                    old == null && !combiners.containsKey(pair._1())
                        ? create.call(pair._2())
                        : mergeValue.call(old, pair._2()));
              }
              List<Tuple2<K, C>> out = new ArrayList<>(combiners.size());
              combiners.forEach((k, c) -> out.add(new Tuple2<>(k, c)));
              return out.iterator();
            });
    return shuffle(combined, codec)
        .mapPartitions(
            "combineByKey",
            (input, task) -> {
              Map<ByteKey, Tuple2<K, C>> merged = new LinkedHashMap<>();
              while (input.hasNext()) {
                Keyed<Tuple2<K, C>> keyed = input.next();
                Tuple2<K, C> old = merged.get(keyed.key());
                merged.put(
                    keyed.key(),
                    old == null
                        ? keyed.value()
                        : new Tuple2<>(old._1(), mergeCombiners.call(old._2(), keyed.value()._2())));
              }
              return merged.values().iterator();
            });
  }

  /** Each key's values of the batch, in arrival order per partition. */
  static <K, V> DStream<Tuple2<K, Iterable<V>>> groupByKey(DStream<Tuple2<K, V>> in, ValueCodec codec) {
    return shuffle(in, codec)
        .mapPartitions(
            "groupByKey",
            (input, task) -> {
              Map<ByteKey, K> keys = new LinkedHashMap<>();
              Map<ByteKey, List<V>> groups = new LinkedHashMap<>();
              while (input.hasNext()) {
                Keyed<Tuple2<K, V>> keyed = input.next();
                keys.putIfAbsent(keyed.key(), keyed.value()._1());
                groups.computeIfAbsent(keyed.key(), k -> new ArrayList<>()).add(keyed.value()._2());
              }
              List<Tuple2<K, Iterable<V>>> out = new ArrayList<>(groups.size());
              groups.forEach((key, values) -> out.add(new Tuple2<>(keys.get(key), values)));
              return out.iterator();
            });
  }

  /**
   * Both streams' values per key in the same batch: the sides are tagged (0 and 1), shuffled
   * together and grouped per encoded key.
   */
  @SuppressWarnings("unchecked")
  static <K, V, W> DStream<Tuple2<K, Tuple2<Iterable<V>, Iterable<W>>>> cogroup(
      DStream<Tuple2<K, V>> left, DStream<Tuple2<K, W>> right, ValueCodec codec) {
    DStream<Tuple2<K, Object>> tagged =
        left.map(p -> new Tuple2<K, Object>(p._1(), new Tuple2<>(0, p._2())))
            .union(right.map(p -> new Tuple2<K, Object>(p._1(), new Tuple2<>(1, p._2()))));
    return shuffle(tagged, codec)
        .mapPartitions(
            "cogroup",
            (input, task) -> {
              Map<ByteKey, Tuple2<K, Tuple2<Iterable<V>, Iterable<W>>>> groups = new LinkedHashMap<>();
              while (input.hasNext()) {
                Keyed<Tuple2<K, Object>> keyed = input.next();
                Tuple2<K, Tuple2<Iterable<V>, Iterable<W>>> group =
                    groups.computeIfAbsent(
                        keyed.key(),
                        k -> new Tuple2<>(keyed.value()._1(), new Tuple2<>(new ArrayList<>(), new ArrayList<>())));
                Tuple2<Integer, Object> side = (Tuple2<Integer, Object>) keyed.value()._2();
                if (side._1() == 0) {
                  ((List<V>) group._2()._1()).add((V) side._2());
                } else {
                  ((List<W>) group._2()._2()).add((W) side._2());
                }
              }
              return groups.values().iterator();
            });
  }

  /**
   * The last {@code length} batches of each partition, emitted at every {@code slide}-th batch
   * (nothing in between). Each batch's data is kept once, in {@link WindowSlots}.
   */
  @SuppressWarnings("unchecked")
  static <T> DStream<T> window(DStream<T> in, int length, int slide, ValueCodec codec) {
    String fingerprint = "window(" + length + "," + slide + ")/" + codec.fingerprint();
    return in.stateful(
        "window",
        (input, slots, time, task) -> {
          List<T> batch = new ArrayList<>();
          input.forEachRemaining(batch::add);
          long batchId = task.batch().batchId();
          slots.add(batchId, batch);
          List<T> out = batchId % slide == 0 ? (List<T>) (List<?>) slots.window() : List.of();
          return new StageOutput<>(out, Watermarks.MAX);
        },
        () -> new WindowSlots(length, codec, fingerprint));
  }
}
