package dev.microbatch.streaming.function;

/** A function of two arguments, such as a reduce function. */
@FunctionalInterface
public interface Function2<T1, T2, R> {
  R call(T1 first, T2 second) throws Exception;
}
