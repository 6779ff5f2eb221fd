package dev.microbatch.io.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class BoundedSplitsTest {
  private final PipelineOptions options = PipelineOptionsFactory.create();

  @Test
  void aSourceSmallerThanTheMinimumBundleStaysWhole() throws Exception {
    // 8 bytes per number: 64 KiB.
    BoundedSource<Long> small = CountingSource.upTo(8192);

    List<? extends BoundedSource<Long>> splits = BoundedSplits.split(small, 3, options);

    assertEquals(1, splits.size());
    assertEquals(8192, count(splits.get(0)));
  }

  @Test
  void aLargeSourceSplitsIntoAboutOneSplitPerPartition() throws Exception {
    // 24 MiB: three splits of 8 MiB, each above the minimum bundle.
    long numbers = 3 * 1024 * 1024;
    BoundedSource<Long> large = CountingSource.upTo(numbers);

    List<? extends BoundedSource<Long>> splits = BoundedSplits.split(large, 3, options);

    assertEquals(3, splits.size());
    long total = 0;
    for (BoundedSource<Long> split : splits) {
      total += count(split);
    }
    assertEquals(numbers, total);
  }

  @Test
  void aMidSizeSourceSplitsOnlyIntoBundlesOfAtLeastTheMinimum() throws Exception {
    // 2 MiB over 8 partitions: two splits of 1 MiB rather than eight of 256 KiB.
    BoundedSource<Long> mid = CountingSource.upTo(2 * (1 << 20) / 8);

    assertEquals(2, BoundedSplits.split(mid, 8, options).size());
  }

  @Test
  void onePartitionNeverSplits() {
    BoundedSource<Long> large = CountingSource.upTo(3 * 1024 * 1024);

    assertEquals(List.of(large), BoundedSplits.split(large, 1, options));
  }

  private long count(BoundedSource<Long> source) throws Exception {
    long count = 0;
    try (BoundedSource.BoundedReader<Long> reader = source.createReader(options)) {
      for (boolean more = reader.start(); more; more = reader.advance()) {
        count++;
      }
    }
    return count;
  }
}
