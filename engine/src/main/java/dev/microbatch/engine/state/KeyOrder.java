package dev.microbatch.engine.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntBinaryOperator;
import java.util.function.IntToLongFunction;

/**
 * Sorts n keys into ascending order of their bytes (unsigned), as the capture layout wants them,
 * moving primitives: each key's first 39 bits (of its 8-byte prefix, which orders most keys alone)
 * above its index in one long, so the sort never follows a reference; only keys that share those
 * bits are then compared whole. Equal keys keep their index order.
 */
final class KeyOrder {
  private static final int INDEX_BITS = 24;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
  // Leaves the sign bit clear, so a signed sort of the packed longs is the unsigned order.
  private static final int PREFIX_BITS = 63 - INDEX_BITS;

  private KeyOrder() {}

  /**
   * The indexes {@code 0..n-1} in key order.
   *
   * @param prefix a key's first 8 bytes, big-endian, padded with 0
   * @param compare compares two keys' whole bytes, unsigned
   */
  static int[] sort(int n, IntToLongFunction prefix, IntBinaryOperator compare) {
    int[] order = new int[n];
    if (n >= 1 << INDEX_BITS) {
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      sortRange(order, 0, n, compare);
      return order;
    }
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      packed[i] = ((prefix.applyAsLong(i) >>> (64 - PREFIX_BITS)) << INDEX_BITS) | i;
    }
    Arrays.sort(packed);
    for (int i = 0; i < n; i++) {
      order[i] = (int) (packed[i] & INDEX_MASK);
    }
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && packed[to] >>> INDEX_BITS == packed[from] >>> INDEX_BITS) {
        to++;
      }
      if (to - from > 1) {
        sortRange(order, from, to, compare);
      }
      from = to;
    }
    return order;
  }

  /** Sorts {@code order[from, to)} by whole keys, then by index. */
  private static void sortRange(int[] order, int from, int to, IntBinaryOperator compare) {
    List<Integer> range = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      range.add(order[i]);
    }
    range.sort(
        (a, b) -> {
          int byKey = compare.applyAsInt(a, b);
          return byKey != 0 ? byKey : Integer.compare(a, b);
        });
    for (int i = from; i < to; i++) {
      order[i] = range.get(i - from);
    }
  }
}
