package dev.microbatch.engine.shuffle;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Encoded keys: equality by bytes, and hashes that spread one partition's keys over a table. */
class ByteKeyTest {

  @Test
  void keysWithEqualBytesAreEqualAndLandInOnePartition() {
    ByteKey a = ByteKey.of(new byte[] {1, 2, 3});
    ByteKey b = ByteKey.of(new byte[] {1, 2, 3});
    assertThat(a.equals(b), is(true));
    assertThat(a.hashCode(), is(b.hashCode()));
    assertThat(a.partition(7), is(b.partition(7)));
    assertThat(a.equals(ByteKey.of(new byte[] {1, 2, 4})), is(false));
  }

  /** 200,000 longs, big-endian: random 32-bit hashes would share about five. */
  @Test
  void distinctKeysRarelyShareAHash() {
    Set<Integer> hashes = new HashSet<>();
    for (long i = 0; i < 200_000; i++) {
      hashes.add(ByteKey.of(ByteBuffer.allocate(8).putLong(i).array()).hashCode());
    }
    assertThat(hashes.size(), greaterThan(199_950));
  }

  /**
   * The keys of one of two partitions, put in a table of 262,144 buckets the way java.util.HashMap
   * indexes them, 1.5 keys per bucket: random hashes leave about 22% of the buckets empty. Had the
   * table's hash been the partition's, one bucket bit would repeat another fixed by the partition
   * (in tables of more than 65,536 buckets) and under half the buckets could be used (47% measured).
   */
  @Test
  void aPartitionsKeysUseTheWholeHashTable() {
    int buckets = 1 << 18;
    BitSet used = new BitSet(buckets);
    int keys = 0;
    for (long i = 0; keys < buckets * 3 / 2; i++) {
      ByteKey key = ByteKey.of(ByteBuffer.allocate(8).putLong(i).array());
      if (key.partition(2) != 0) {
        continue;
      }
      keys++;
      int h = key.hashCode();
      used.set((h ^ (h >>> 16)) & (buckets - 1));
    }
    assertThat(used.cardinality(), greaterThan(buckets * 70 / 100));
  }
}
