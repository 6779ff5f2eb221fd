package dev.microbatch.streaming;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.streaming.function.FlatMapFunction;
import dev.microbatch.streaming.function.Function;
import dev.microbatch.streaming.function.Function2;
import dev.microbatch.streaming.internal.CompositeState;
import dev.microbatch.streaming.internal.KeyedBlobState;
import dev.microbatch.streaming.internal.WindowSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stream of key-value pairs, as Spark Streaming's {@code JavaPairDStream}. Operations by key
 * shuffle by the key's encoding ({@link StreamCodec}), so a key's values meet in one partition.
 */
public class JavaPairDStream<K, V> extends JavaDStreamLike<Tuple2<K, V>> {

  JavaPairDStream(JavaStreamingContext ssc, DStream<Tuple2<K, V>> stream, int slide) {
    super(ssc, stream, slide);
  }

  public JavaPairDStream<K, V> filter(Function<? super Tuple2<K, V>, Boolean> predicate) {
    return new JavaPairDStream<>(ssc, Ops.filter(stream, predicate), slide);
  }

  public JavaPairDStream<K, V> cache() {
    stream.cache();
    return this;
  }

  public JavaPairDStream<K, V> persist() {
    return cache();
  }

  @SafeVarargs
  public final JavaPairDStream<K, V> union(JavaPairDStream<K, V>... others) {
    List<DStream<Tuple2<K, V>>> streams = new ArrayList<>();
    for (JavaPairDStream<K, V> other : others) {
      checkSameSlide(other, "union");
      streams.add(other.stream);
    }
    @SuppressWarnings("unchecked")
    DStream<Tuple2<K, V>>[] rest = streams.toArray(new DStream[0]);
    return new JavaPairDStream<>(ssc, stream.union(rest), slide);
  }

  public <W> JavaPairDStream<K, W> mapValues(Function<? super V, ? extends W> fn) {
    return new JavaPairDStream<>(ssc, Ops.map(stream, p -> new Tuple2<K, W>(p._1(), fn.call(p._2()))), slide);
  }

  public <W> JavaPairDStream<K, W> flatMapValues(FlatMapFunction<? super V, W> fn) {
    return new JavaPairDStream<>(
        ssc,
        Ops.flatMap(
            stream,
            p -> {
              java.util.Iterator<W> values = fn.call(p._2());
              List<Tuple2<K, W>> out = new ArrayList<>();
              values.forEachRemaining(w -> out.add(new Tuple2<>(p._1(), w)));
              return out.iterator();
            }),
        slide);
  }

  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> fn) {
    return combineByKey(v -> v, fn, fn);
  }

  /** Accepted for Spark programs: {@code numPartitions} must be positive and is otherwise a hint. */
  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> fn, int numPartitions) {
    checkPartitions(numPartitions);
    return reduceByKey(fn);
  }

  public <C> JavaPairDStream<K, C> combineByKey(
      Function<V, C> createCombiner, Function2<C, V, C> mergeValue, Function2<C, C, C> mergeCombiners) {
    return new JavaPairDStream<>(
        ssc, Ops.combineByKey(stream, createCombiner, mergeValue, mergeCombiners, ssc.codec()), slide);
  }

  public JavaPairDStream<K, Iterable<V>> groupByKey() {
    return new JavaPairDStream<>(ssc, Ops.groupByKey(stream, ssc.codec()), slide);
  }

  /** Per batch, both streams' values of each key. */
  public <W> JavaPairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairDStream<K, W> other) {
    checkSameSlide(other, "cogroup");
    return new JavaPairDStream<>(ssc, Ops.cogroup(stream, other.stream, ssc.codec()), slide);
  }

  /** Per batch, every pair of values of keys both streams have. */
  public <W> JavaPairDStream<K, Tuple2<V, W>> join(JavaPairDStream<K, W> other) {
    return joined(other, "join", false, false);
  }

  public <W> JavaPairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairDStream<K, W> other) {
    return joined(other, "leftOuterJoin", false, true);
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairDStream<K, W> other) {
    return joined(other, "rightOuterJoin", true, false);
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairDStream<K, W> other) {
    return joined(other, "fullOuterJoin", true, true);
  }

  /**
   * The joins from the cogroup: a side that may be missing ({@code optionalLeft}, {@code
   * optionalRight}) is wrapped in an Optional, and a key it lacks still pairs once with empty.
   */
  @SuppressWarnings("unchecked")
  private <W, A, B> JavaPairDStream<K, Tuple2<A, B>> joined(
      JavaPairDStream<K, W> other, String name, boolean optionalLeft, boolean optionalRight) {
    checkSameSlide(other, name);
    DStream<Tuple2<K, Tuple2<Iterable<V>, Iterable<W>>>> groups = Ops.cogroup(stream, other.stream, ssc.codec());
    DStream<Tuple2<K, Tuple2<A, B>>> pairs =
        groups.flatMap(
            group -> {
              List<Object> lefts = sides((List<Object>) group._2()._1(), optionalLeft);
              List<Object> rights = sides((List<Object>) group._2()._2(), optionalRight);
              List<Tuple2<K, Tuple2<A, B>>> out = new ArrayList<>();
              for (Object l : lefts) {
                for (Object r : rights) {
                  out.add(new Tuple2<>(group._1(), new Tuple2<>((A) l, (B) r)));
                }
              }
              return out;
            });
    return new JavaPairDStream<>(ssc, pairs, slide);
  }

  /**
   * One side's values as the join pairs them: as they are when the side is required (none: the
   * key gives no pair), else each in an Optional, and one empty Optional when it has none.
   */
  private static List<Object> sides(List<Object> values, boolean optional) {
    if (!optional) {
      return values;
    }
    List<Object> wrapped = new ArrayList<>();
    for (Object value : values) {
      wrapped.add(Optional.ofNullable(value));
    }
    if (wrapped.isEmpty()) {
      wrapped.add(Optional.empty());
    }
    return wrapped;
  }

  /**
   * Per window, each key's values reduced: {@code reduceByKey}, then the window, then {@code
   * reduceByKey} again (the window keeps each batch's reduced values).
   */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(
      Function2<V, V, V> fn, Duration windowDuration, Duration slideDuration) {
    JavaPairDStream<K, V> reduced = reduceByKey(fn);
    int[] shape = windowShape(windowDuration, slideDuration);
    DStream<Tuple2<K, V>> windowed = Ops.window(reduced.stream, shape[0], shape[1], ssc.codec());
    return new JavaPairDStream<>(ssc, windowed, shape[1]).reduceByKey(fn);
  }

  /** A window that slides by the stream's own slide. */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> fn, Duration windowDuration) {
    return reduceByKeyAndWindow(fn, windowDuration, slideDuration());
  }

  /** Incremental: see {@link #reduceByKeyAndWindow(Function2, Function2, Duration, Duration, Function)}. */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(
      Function2<V, V, V> fn, Function2<V, V, V> inverse, Duration windowDuration, Duration slideDuration) {
    return reduceByKeyAndWindow(fn, inverse, windowDuration, slideDuration, null);
  }

  /**
   * Per window, each key's values reduced, incrementally: each batch adds its own values and takes
   * out those of the batch that leaves the window with {@code inverse}, so it costs in proportion
   * to the slide, not the window. Keys stay (with, say, a count of 0) unless {@code filter}
   * rejects them, which also drops them from the state.
   */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(
      Function2<V, V, V> fn,
      Function2<V, V, V> inverse,
      Duration windowDuration,
      Duration slideDuration,
      Function<Tuple2<K, V>, Boolean> filter) {
    int[] shape = windowShape(windowDuration, slideDuration);
    int length = shape[0];
    int step = shape[1];
    DStream<Tuple2<K, V>> reduced = reduceByKey(fn).stream;
    String fingerprint = "reduceByKeyAndWindow(" + length + "," + step + ")/" + ssc.codec().fingerprint();
    DStream<Tuple2<K, V>> windowed =
        reduced.stateful(
            "reduceByKeyAndWindow",
            new InverseWindowFunction<K, V>(fn, inverse, filter, ssc.codec(), length, step),
            () ->
                new CompositeState(
                    List.of(new WindowSlots(length, ssc.codec(), fingerprint), new KeyedBlobState(fingerprint))));
    return new JavaPairDStream<>(ssc, windowed, step);
  }

  /** Per window, each key's values: {@code window(w, s).groupByKey()}. */
  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration, Duration slideDuration) {
    int[] shape = windowShape(windowDuration, slideDuration);
    return new JavaPairDStream<>(ssc, Ops.window(stream, shape[0], shape[1], ssc.codec()), shape[1]).groupByKey();
  }

  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration) {
    return groupByKeyAndWindow(windowDuration, slideDuration());
  }

  /** The stream's windows: every {@code slideDuration}, the data of the last {@code windowDuration}. */
  public JavaPairDStream<K, V> window(Duration windowDuration, Duration slideDuration) {
    int[] shape = windowShape(windowDuration, slideDuration);
    return new JavaPairDStream<>(ssc, Ops.window(stream, shape[0], shape[1], ssc.codec()), shape[1]);
  }

  public JavaPairDStream<K, V> window(Duration windowDuration) {
    return window(windowDuration, slideDuration());
  }

  /**
   * Each key's state across batches, as Spark: every batch, {@code update} runs for each key with
   * state or new values (the values of the batch, and the state so far); an empty result removes
   * the key. The stream carries every key's state after each batch.
   */
  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> update) {
    return updateStateByKey(update, List.of());
  }

  /** Accepted for Spark programs: {@code numPartitions} must be positive and is otherwise a hint. */
  public <S> JavaPairDStream<K, S> updateStateByKey(
      Function2<List<V>, Optional<S>, Optional<S>> update, int numPartitions) {
    checkPartitions(numPartitions);
    return updateStateByKey(update);
  }

  /** With each key of {@code initialState} starting from its state there. */
  public <S> JavaPairDStream<K, S> updateStateByKey(
      Function2<List<V>, Optional<S>, Optional<S>> update, int numPartitions, JavaPairRDD<K, S> initialState) {
    checkPartitions(numPartitions);
    return updateStateByKey(update, initialState.collect());
  }

  private <S> JavaPairDStream<K, S> updateStateByKey(
      Function2<List<V>, Optional<S>, Optional<S>> update, List<Tuple2<K, S>> initial) {
    String fingerprint = "updateStateByKey/" + ssc.codec().fingerprint();
    DStream<Tuple2<K, S>> states =
        Ops.shuffle(stream, ssc.codec())
            .stateful(
                "updateStateByKey",
                new UpdateStateFunction<K, V, S>(update, ssc.codec(), slide, List.copyOf(initial)),
                () -> new KeyedBlobState(fingerprint));
    return new JavaPairDStream<>(ssc, states, slide);
  }

  /**
   * Each key's state across batches, touched only by the keys with data, as Spark's {@code
   * mapWithState}: see {@link StateSpec}.
   */
  public <S, M> JavaMapWithStateDStream<K, V, S, M> mapWithState(StateSpec<K, V, S, M> spec) {
    JavaPairRDD<K, S> initialRdd = spec.initialStateOrNull();
    List<Tuple2<K, S>> initial = initialRdd == null ? List.of() : initialRdd.collect();
    MapWithStateFunction<K, V, S> function = new MapWithStateFunction<>(spec, ssc.codec(), slide, initial);
    String fingerprint = "mapWithState/" + ssc.codec().fingerprint();
    DStream<MapWithStateFunction.Output> outputs =
        Ops.shuffle(stream, ssc.codec())
            .stateful("mapWithState", function, () -> new KeyedBlobState(fingerprint));
    return new JavaMapWithStateDStream<>(ssc, outputs, slide, function);
  }

  private static void checkPartitions(int numPartitions) {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be positive, got " + numPartitions + ".");
    }
  }
}
