package dev.microbatch.streaming.function;

/** Consumes two values, such as a batch and its time. */
@FunctionalInterface
public interface VoidFunction2<T1, T2> {
  void call(T1 first, T2 second) throws Exception;
}
