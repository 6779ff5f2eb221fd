package dev.microbatch.streaming;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.streaming.function.FlatMapFunction;
import dev.microbatch.streaming.function.Function;
import dev.microbatch.streaming.function.Function2;
import dev.microbatch.streaming.function.PairFlatMapFunction;
import dev.microbatch.streaming.function.PairFunction;
import dev.microbatch.streaming.function.VoidFunction;
import dev.microbatch.streaming.function.VoidFunction2;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What every stream of the API offers, element-wise and per batch. A stream has a slide: 1 batch,
 * or a window's slide (in batches); it has batches only at multiples of it, and its output
 * operations run only there.
 */
public abstract class JavaDStreamLike<T> {
  final JavaStreamingContext ssc;
  final DStream<T> stream;
  final int slide;

  JavaDStreamLike(JavaStreamingContext ssc, DStream<T> stream, int slide) {
    this.ssc = ssc;
    this.stream = stream;
    this.slide = slide;
  }

  public JavaStreamingContext context() {
    return ssc;
  }

  /** The time between two batches of this stream (the batch interval times its slide). */
  public Duration slideDuration() {
    return ssc.batchDuration().times(slide);
  }

  public <R> JavaDStream<R> map(Function<? super T, ? extends R> fn) {
    return new JavaDStream<>(ssc, Ops.map(stream, fn), slide);
  }

  public <R> JavaDStream<R> flatMap(FlatMapFunction<? super T, R> fn) {
    return new JavaDStream<>(ssc, Ops.flatMap(stream, fn), slide);
  }

  public <K, V> JavaPairDStream<K, V> mapToPair(PairFunction<? super T, K, V> fn) {
    return new JavaPairDStream<>(ssc, Ops.map(stream, fn::call), slide);
  }

  public <K, V> JavaPairDStream<K, V> flatMapToPair(PairFlatMapFunction<? super T, K, V> fn) {
    return new JavaPairDStream<>(ssc, Ops.flatMap(stream, fn::call), slide);
  }

  public <R> JavaDStream<R> mapPartitions(FlatMapFunction<Iterator<T>, R> fn) {
    return new JavaDStream<>(ssc, Ops.mapPartitions(stream, fn), slide);
  }

  /** Per batch, the number of elements: one count per batch, 0 for an empty batch. */
  public JavaDStream<Long> count() {
    return new JavaDStream<>(
        ssc,
        Ops.wholeBatch(stream, "count", slide, (parts, id, time) -> List.of(List.of(JavaRDD.of(parts).count()))),
        slide);
  }

  /** Per batch, each distinct element with how often it occurs. */
  public JavaPairDStream<T, Long> countByValue() {
    return mapToPair(x -> new Tuple2<T, Long>(x, 1L)).reduceByKey(Long::sum);
  }

  /** Per batch, its elements reduced to one (nothing for an empty batch). */
  public JavaDStream<T> reduce(Function2<T, T, T> fn) {
    return new JavaDStream<>(
        ssc,
        Ops.wholeBatch(
            stream,
            "reduce",
            slide,
            (parts, id, time) -> {
              JavaRDD<T> rdd = JavaRDD.of(parts);
              return rdd.isEmpty() ? List.of() : List.of(List.of(rdd.reduce(fn)));
            }),
        slide);
  }

  /** Each batch turned into another by {@code fn}, which sees the batch as a dataset. */
  public <U> JavaDStream<U> transform(Function<JavaRDD<T>, JavaRDD<U>> fn) {
    return transform((rdd, time) -> fn.call(rdd));
  }

  /** Like {@link #transform(Function)}, with the batch's time. */
  public <U> JavaDStream<U> transform(Function2<JavaRDD<T>, Time, JavaRDD<U>> fn) {
    return new JavaDStream<>(
        ssc,
        Ops.wholeBatch(
            stream, "transform", slide, (parts, id, time) -> fn.call(JavaRDD.of(parts), new Time(time)).partitions()),
        slide);
  }

  public <K, V> JavaPairDStream<K, V> transformToPair(Function<JavaRDD<T>, JavaPairRDD<K, V>> fn) {
    return transformToPair((rdd, time) -> fn.call(rdd));
  }

  public <K, V> JavaPairDStream<K, V> transformToPair(Function2<JavaRDD<T>, Time, JavaPairRDD<K, V>> fn) {
    return new JavaPairDStream<>(
        ssc,
        Ops.wholeBatch(
            stream, "transform", slide, (parts, id, time) -> fn.call(JavaRDD.of(parts), new Time(time)).partitions()),
        slide);
  }

  /** Each batch with a batch of {@code other} (both seen whole), made into one by {@code fn}. */
  public <U, R> JavaDStream<R> transformWith(
      JavaDStreamLike<U> other, dev.microbatch.streaming.function.Function3<JavaRDD<T>, JavaRDD<U>, Time, JavaRDD<R>> fn) {
    checkSameSlide(other, "transformWith");
    DStream<Tuple2<Integer, Object>> tagged =
        stream.map(x -> new Tuple2<Integer, Object>(0, x)).union(other.stream.map(x -> new Tuple2<Integer, Object>(1, x)));
    return new JavaDStream<>(
        ssc,
        Ops.wholeBatch(
            tagged,
            "transformWith",
            slide,
            (parts, id, time) -> {
              List<List<T>> mine = new ArrayList<>();
              List<List<U>> theirs = new ArrayList<>();
              for (List<Tuple2<Integer, Object>> part : parts) {
                List<T> a = new ArrayList<>();
                List<U> b = new ArrayList<>();
                for (Tuple2<Integer, Object> x : part) {
                  if (x._1() == 0) {
                    a.add(cast(x._2()));
                  } else {
                    b.add(cast(x._2()));
                  }
                }
                mine.add(a);
                theirs.add(b);
              }
              return fn.call(JavaRDD.of(mine), JavaRDD.of(theirs), new Time(time)).partitions();
            }),
        slide);
  }

  @SuppressWarnings("unchecked")
  private static <X> X cast(Object value) {
    return (X) value;
  }

  /** The number of elements of each window: {@code window(w, s).count()}. */
  public JavaDStream<Long> countByWindow(Duration windowDuration, Duration slideDuration) {
    return windowed(windowDuration, slideDuration).count();
  }

  /** Each window's elements reduced to one (nothing for an empty window). */
  public JavaDStream<T> reduceByWindow(Function2<T, T, T> fn, Duration windowDuration, Duration slideDuration) {
    return windowed(windowDuration, slideDuration).reduce(fn);
  }

  /**
   * Each window's elements reduced to one, incrementally: the window's value gains each new batch
   * and loses each leaving batch through {@code inverse}.
   */
  public JavaDStream<T> reduceByWindow(
      Function2<T, T, T> fn, Function2<T, T, T> inverse, Duration windowDuration, Duration slideDuration) {
    return mapToPair(x -> new Tuple2<Integer, T>(0, x))
        .reduceByKeyAndWindow(fn, inverse, windowDuration, slideDuration)
        .map(Tuple2::_2);
  }

  /** Per window, each distinct element with its count. */
  public JavaPairDStream<T, Long> countByValueAndWindow(Duration windowDuration, Duration slideDuration) {
    return mapToPair(x -> new Tuple2<T, Long>(x, 1L))
        .reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, windowDuration, slideDuration, p -> p._2() != 0);
  }

  /** Runs {@code fn} on every batch of this stream, on the batch thread. */
  public void foreachRDD(VoidFunction<JavaRDD<T>> fn) {
    foreachRDD((rdd, time) -> fn.call(rdd));
  }

  /** Runs {@code fn} on every batch of this stream with the batch's time, on the batch thread. */
  public void foreachRDD(VoidFunction2<JavaRDD<T>, Time> fn) {
    ssc.checkNotStarted("add an output operation");
    DStream<Object> done =
        Ops.wholeBatch(
            stream,
            "foreachRDD",
            slide,
            (parts, id, time) -> {
              fn.call(JavaRDD.of(parts), new Time(time));
              return List.of();
            });
    done.foreachPartition((partition, task) -> {});
  }

  /** Prints the first ten elements of every batch. */
  public void print() {
    print(10);
  }

  /** Prints the first {@code num} elements of every batch, under the batch's time, as Spark does. */
  public void print(int num) {
    if (num < 0) {
      throw new IllegalArgumentException("print() needs a non-negative count, got " + num + ".");
    }
    foreachRDD(
        (rdd, time) -> {
          List<T> first = rdd.take(num + 1);
          StringBuilder text = new StringBuilder();
          text.append("-------------------------------------------\n");
          text.append("Time: ").append(time).append('\n');
          text.append("-------------------------------------------\n");
          for (T element : first.subList(0, Math.min(num, first.size()))) {
            text.append(element).append('\n');
          }
          if (first.size() > num) {
            text.append("...\n");
          }
          ssc.conf().out().println(text);
        });
  }

  /** The windows of this stream (see {@code window}). */
  JavaDStream<T> windowed(Duration windowDuration, Duration slideDuration) {
    int[] shape = windowShape(windowDuration, slideDuration);
    return new JavaDStream<>(ssc, Ops.window(stream, shape[0], shape[1], ssc.codec()), shape[1]);
  }

  /**
   * The window's length and slide in batches, after checking that both are positive multiples of
   * this stream's slide duration.
   */
  int[] windowShape(Duration windowDuration, Duration slideDuration) {
    Duration own = slideDuration();
    if (windowDuration.milliseconds() <= 0 || !windowDuration.isMultipleOf(own)) {
      throw new IllegalArgumentException(
          "The window duration (" + windowDuration + ") must be a positive multiple of the stream's"
              + " slide duration (" + own + ", the batch interval " + ssc.batchDuration() + " times " + slide + ").");
    }
    if (slideDuration.milliseconds() <= 0 || !slideDuration.isMultipleOf(own)) {
      throw new IllegalArgumentException(
          "The slide duration (" + slideDuration + ") must be a positive multiple of the stream's"
              + " slide duration (" + own + ", the batch interval " + ssc.batchDuration() + " times " + slide + ").");
    }
    long length = windowDuration.div(ssc.batchDuration());
    long step = slideDuration.div(ssc.batchDuration());
    if (length > Integer.MAX_VALUE || step > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("A window of " + length + " batches is too long.");
    }
    return new int[] {(int) length, (int) step};
  }

  void checkSameSlide(JavaDStreamLike<?> other, String operation) {
    if (other.ssc != ssc) {
      throw new IllegalArgumentException(operation + " needs two streams of the same context.");
    }
    if (other.slide != slide) {
      throw new IllegalArgumentException(
          operation + " needs streams with the same slide duration, got " + slideDuration() + " and "
              + other.slideDuration() + ".");
    }
  }
}
