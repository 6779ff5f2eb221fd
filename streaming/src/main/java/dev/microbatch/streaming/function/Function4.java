package dev.microbatch.streaming.function;

/** A function of four arguments, such as a {@code mapWithState} function with the batch time. */
@FunctionalInterface
public interface Function4<T1, T2, T3, T4, R> {
  R call(T1 first, T2 second, T3 third, T4 fourth) throws Exception;
}
