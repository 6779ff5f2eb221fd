package dev.microbatch.streaming.function;

/** Turns an element into any number of key-value pairs. */
@FunctionalInterface
public interface PairFlatMapFunction<T, K, V> {
  java.util.Iterator<dev.microbatch.streaming.Tuple2<K, V>> call(T value) throws Exception;
}
