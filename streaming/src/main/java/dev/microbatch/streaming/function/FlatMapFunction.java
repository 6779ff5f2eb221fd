package dev.microbatch.streaming.function;

/** Turns an element into any number of elements. */
@FunctionalInterface
public interface FlatMapFunction<T, R> {
  java.util.Iterator<R> call(T value) throws Exception;
}
