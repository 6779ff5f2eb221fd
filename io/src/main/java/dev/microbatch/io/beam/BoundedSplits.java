package dev.microbatch.io.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.UserCodeException;

/** Splits a bounded source into about one split per partition, by its estimated size. */
final class BoundedSplits {
  private BoundedSplits() {}

  static <T> List<? extends BoundedSource<T>> split(
      BoundedSource<T> source, int partitions, PipelineOptions options) {
    try {
      long size = source.getEstimatedSizeBytes(options);
      long desiredBundleSize = Math.max(1, size / partitions);
      return partitions == 1 ? List.of(source) : source.split(desiredBundleSize, options);
    } catch (Exception e) {
      // The source's own exception is what fails the pipeline (as on DirectRunner): the result
      // unwraps UserCodeException, which only carries a checked exception through.
      throw UserCodeException.wrap(e);
    }
  }

  /** The splits partition {@code partition} of {@code partitions} reads: i, i + n, i + 2n, ... */
  static <S> List<S> ownedBy(List<S> splits, int partition, int partitions) {
    ArrayList<S> owned = new ArrayList<>();
    for (int i : indicesOwnedBy(splits.size(), partition, partitions)) {
      owned.add(splits.get(i));
    }
    return owned;
  }

  /** The indices of the splits partition {@code partition} of {@code partitions} reads. */
  static List<Integer> indicesOwnedBy(int splits, int partition, int partitions) {
    ArrayList<Integer> owned = new ArrayList<>();
    for (int i = partition; i < splits; i += partitions) {
      owned.add(i);
    }
    return owned;
  }
}
