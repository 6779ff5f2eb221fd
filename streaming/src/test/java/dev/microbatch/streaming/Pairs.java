package dev.microbatch.streaming;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helpers for pairs. */
final class Pairs {
  private Pairs() {}

  /** The pairs as a sorted map; fails if a key occurs twice (a by-key result must not repeat one). */
  static <K extends Comparable<K>, V> Map<K, V> asMap(List<Tuple2<K, V>> pairs) {
    Map<K, V> map = new TreeMap<>();
    for (Tuple2<K, V> pair : pairs) {
      if (map.put(pair._1(), pair._2()) != null) {
        throw new AssertionError("Key " + pair._1() + " occurs twice in " + pairs);
      }
    }
    return map;
  }
}
