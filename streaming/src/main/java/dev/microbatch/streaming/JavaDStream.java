package dev.microbatch.streaming;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.streaming.function.Function;
import java.util.ArrayList;
import java.util.List;

/** A stream of elements, as Spark Streaming's {@code JavaDStream}. */
public class JavaDStream<T> extends JavaDStreamLike<T> {

  JavaDStream(JavaStreamingContext ssc, DStream<T> stream, int slide) {
    super(ssc, stream, slide);
  }

  public JavaDStream<T> filter(Function<? super T, Boolean> predicate) {
    return new JavaDStream<>(ssc, Ops.filter(stream, predicate), slide);
  }

  /** The stream's windows: every {@code slideDuration}, the data of the last {@code windowDuration}. */
  public JavaDStream<T> window(Duration windowDuration, Duration slideDuration) {
    return windowed(windowDuration, slideDuration);
  }

  /** A window that slides by this stream's own slide. */
  public JavaDStream<T> window(Duration windowDuration) {
    return window(windowDuration, slideDuration());
  }

  /** Computes each batch of this stream once, however many streams read it. */
  public JavaDStream<T> cache() {
    stream.cache();
    return this;
  }

  public JavaDStream<T> persist() {
    return cache();
  }

  /** Batch by batch, this stream's elements and those of {@code others}. */
  @SafeVarargs
  public final JavaDStream<T> union(JavaDStream<T>... others) {
    List<DStream<T>> streams = new ArrayList<>();
    for (JavaDStream<T> other : others) {
      checkSameSlide(other, "union");
      streams.add(other.stream);
    }
    @SuppressWarnings("unchecked")
    DStream<T>[] rest = streams.toArray(new DStream[0]);
    return new JavaDStream<>(ssc, stream.union(rest), slide);
  }

  /**
   * Spreads each batch evenly over the partitions. The engine's streams all have the context's
   * parallelism; {@code numPartitions} must be positive and is otherwise a hint.
   */
  public JavaDStream<T> repartition(int numPartitions) {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("repartition needs a positive partition count, got " + numPartitions + ".");
    }
    DStream<Tuple2<Long, T>> numbered =
        stream.mapPartitions(
            "repartition(number)",
            (input, task) -> {
              long[] next = {task.partition()};
              int step = task.numPartitions();
              return new java.util.Iterator<Tuple2<Long, T>>() {
                @Override
                public boolean hasNext() {
                  return input.hasNext();
                }

                @Override
                public Tuple2<Long, T> next() {
                  Tuple2<Long, T> numberedElement = new Tuple2<>(next[0], input.next());
                  next[0] += step;
                  return numberedElement;
                }
              };
            });
    return new JavaDStream<>(ssc, Ops.shuffle(numbered, ssc.codec()).map(keyed -> keyed.value()._2()), slide);
  }

  /**
   * Writes each batch as a directory {@code prefix-TIME.suffix} of text files, one line per
   * element, through Hadoop's file system (see {@link TextFilesWriter}).
   */
  public void saveAsTextFiles(String prefix, String suffix) {
    TextFilesWriter writer = new TextFilesWriter(prefix, suffix);
    foreachRDD((rdd, time) -> writer.write(rdd, time));
  }

  /** The engine's stream underneath, for programs that mix in engine operations. */
  public DStream<T> dstream() {
    return stream;
  }
}
