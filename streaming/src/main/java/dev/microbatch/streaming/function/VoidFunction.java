package dev.microbatch.streaming.function;

/** Consumes one value. */
@FunctionalInterface
public interface VoidFunction<T> {
  void call(T value) throws Exception;
}
