package dev.microbatch.engine.shuffle;

/** Turns a key into bytes for shuffling and grouping. Equal keys must give equal bytes. */
@FunctionalInterface
public interface Codec<T> {
  byte[] encode(T value);
}
