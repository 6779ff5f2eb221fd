package dev.microbatch.io.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.UserCodeException;

/**
 * Splits a bounded source into about one split per partition, by its estimated size, but into
 * bundles of at least {@link #MIN_BUNDLE_BYTES}: a small input (a {@code Create} of a few
 * records) stays whole in one partition and reaches the next step in its order, as with
 * runners that split by a desired bundle size; parallel reads pay only for larger inputs.
 */
final class BoundedSplits {
  /** The smallest bundle worth a split of its own; below it reading costs less than a task. */
  static final long MIN_BUNDLE_BYTES = 1 << 20;

  private BoundedSplits() {}

  static <T> List<? extends BoundedSource<T>> split(
      BoundedSource<T> source, int partitions, PipelineOptions options) {
    if (partitions == 1) {
      return List.of(source);
    }
    try {
      long size = source.getEstimatedSizeBytes(options);
      // A source may still split below the size asked for (a file pattern splits per file).
      return source.split(Math.max(MIN_BUNDLE_BYTES, size / partitions), options);
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
