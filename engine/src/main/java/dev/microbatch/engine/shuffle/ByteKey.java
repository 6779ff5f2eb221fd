package dev.microbatch.engine.shuffle;

import java.util.Arrays;

/**
 * An encoded key. Shuffles and groupings compare keys by their encoded bytes, never by the key
 * object's {@code equals}, so keys with inconsistent {@code equals}/{@code hashCode} group right.
 */
public final class ByteKey {
  private final byte[] bytes;
  private final int hash;

  private ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = mix(bytes);
  }

  /** Wraps {@code bytes}, which the caller must not change afterwards. */
  public static ByteKey of(byte[] bytes) {
    return new ByteKey(bytes);
  }

  public byte[] bytes() {
    return bytes;
  }

  /** The partition in {@code [0, partitions)} that owns this key. */
  public int partition(int partitions) {
    return Math.floorMod(hash, partitions);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ByteKey that && hash == that.hash && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "ByteKey(" + bytes.length + " bytes, hash " + Integer.toHexString(hash) + ")";
  }

  // FNV-1a over the bytes, then a murmur-style finalizer so that similar keys spread evenly.
  private static int mix(byte[] bytes) {
    int h = 0x811c9dc5;
    for (byte b : bytes) {
      h ^= b;
      h *= 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
