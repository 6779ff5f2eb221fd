package dev.microbatch.streaming.function;

/** A function of one argument (Spark's {@code Function}). */
@FunctionalInterface
public interface Function<T, R> {
  R call(T value) throws Exception;
}
