package dev.microbatch.engine.shuffle;

import java.util.Arrays;

/**
 * An encoded key. Shuffles and groupings compare keys by their encoded bytes, never by the key
 * object's {@code equals}, so keys with inconsistent {@code equals}/{@code hashCode} group right.
 */
public final class ByteKey {
  private final byte[] bytes;
  // Picks the partition.
  private final int hash;
  // What hash tables see. Not the partition's hash: a table of one partition's keys would then see
  // only hashes that share the bit their partition was picked by, and java.util.HashMap, which
  // folds the high half of a hash onto the low half, would in tables of more than 65,536 buckets
  // leave half of them (with two partitions) empty and chain the keys twice as deep. A second
  // finalizer round makes the two hashes independent.
  private final int tableHash;

  private ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = mix(bytes);
    this.tableHash = finish(hash ^ 0x5bd1e995);
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
    return tableHash;
  }

  @Override
  public String toString() {
    return "ByteKey(" + bytes.length + " bytes, hash " + Integer.toHexString(hash) + ")";
  }

  // FNV-1a over the bytes, then a murmur-style finalizer so that similar keys spread evenly. The
  // bytes are taken unsigned: sign-extended, a byte of 0x80 or more flips the high 24 bits as well,
  // and half of the 8-byte big-endian longs shared their hash with another one. A change here moves
  // keys to other partitions: it needs a new checkpoint format version (CheckpointLayout).
  private static int mix(byte[] bytes) {
    int h = 0x811c9dc5;
    for (byte b : bytes) {
      h ^= b & 0xFF;
      h *= 0x01000193;
    }
    return finish(h);
  }

  private static int finish(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
