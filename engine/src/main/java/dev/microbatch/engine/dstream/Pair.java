package dev.microbatch.engine.dstream;

/** A key and a value, the element type of keyed streams in the DStream API. */
public record Pair<K, V>(K key, V value) {
  public static <K, V> Pair<K, V> of(K key, V value) {
    return new Pair<>(key, value);
  }
}
