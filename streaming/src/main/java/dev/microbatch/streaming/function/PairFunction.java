package dev.microbatch.streaming.function;

/** Turns an element into a key-value pair. */
@FunctionalInterface
public interface PairFunction<T, K, V> {
  dev.microbatch.streaming.Tuple2<K, V> call(T value) throws Exception;
}
