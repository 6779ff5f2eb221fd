package dev.microbatch.engine.shuffle;

import java.util.Arrays;

/**
 * Lengths for growing arrays that fill whole powers of two of memory, header included, and the
 * growing itself. G1 gives a large array (half a region or more) whole regions, which are powers
 * of two: an array of 2^k bytes plus its 16-byte header takes one region more than it needs, so a
 * buffer of 4 MB on a heap of 4 MB regions held 8 MB. Growing through these lengths keeps every large buffer exactly
 * region-sized; a small one just doubles as before.
 */
public final class ArrayLengths {
  // An array's header with compressed class pointers (the default): mark, class and length.
  private static final int HEADER_BYTES = 16;
  private static final int MAX_BYTES = 1 << 30;

  private ArrayLengths() {}

  /** The length of a byte array of at least {@code minimum} bytes whose footprint is 2^k. */
  public static int bytesAtLeast(int minimum) {
    return footprintAtLeast((long) minimum) - HEADER_BYTES;
  }

  /** The length of an int array of at least {@code minimum} ints whose footprint is 2^k. */
  public static int intsAtLeast(int minimum) {
    return (footprintAtLeast((long) minimum * Integer.BYTES) - HEADER_BYTES) / Integer.BYTES;
  }

  /** {@code array} copied into the next length that holds at least {@code minimum} bytes. */
  public static byte[] grown(byte[] array, int minimum) {
    return Arrays.copyOf(array, bytesAtLeast(Math.max(array.length + 1, minimum)));
  }

  /** {@code array} copied into the next length: room for at least one more int. */
  public static int[] grown(int[] array) {
    return Arrays.copyOf(array, intsAtLeast(array.length + 1));
  }

  private static int footprintAtLeast(long payload) {
    long footprint = payload + HEADER_BYTES;
    if (footprint > MAX_BYTES) {
      // Past 1 GB no power of two fits an int length; the payload itself is the best left.
      return (int) Math.min(Integer.MAX_VALUE, footprint);
    }
    return Math.max(32, Integer.highestOneBit((int) footprint - 1) << 1);
  }
}
