package dev.microbatch.engine.shuffle;

/** Extracts the encoded shuffle key of an element. */
@FunctionalInterface
public interface KeyFunction<T> {
  ByteKey keyOf(T element) throws Exception;
}
