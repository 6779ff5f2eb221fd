package dev.microbatch.streaming.function;

/** A function of three arguments, such as a {@code mapWithState} function. */
@FunctionalInterface
public interface Function3<T1, T2, T3, R> {
  R call(T1 first, T2 second, T3 third) throws Exception;
}
