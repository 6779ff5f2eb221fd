package dev.microbatch.engine.driver;

/**
 * Backpressure: how many records each input partition may read in the next batch. While batches
 * finish within the batch interval there is no limit. Once a batch takes longer, the limit becomes
 * what the engine was measured to process in one interval (smoothed over batches), so the next
 * batches shrink until they fit; when batches fit again the limit doubles per batch until it is
 * lifted. Driver thread only.
 */
final class RateController {
  /** No limit. */
  static final long UNLIMITED = Long.MAX_VALUE;

  private final long intervalMillis;
  private final int partitions;
  private final long minimumPerPartition;
  private double recordsPerMillis = -1;
  private long limit = UNLIMITED;

  RateController(long intervalMillis, int partitions, long minimumPerPartition) {
    this.intervalMillis = intervalMillis;
    this.partitions = partitions;
    this.minimumPerPartition = minimumPerPartition;
  }

  /** Learns from a completed batch: it read {@code records} in {@code processingMillis}. */
  void onBatchCompleted(long records, long processingMillis) {
    if (records > 0 && processingMillis > 0) {
      double measured = (double) records / processingMillis;
      recordsPerMillis = recordsPerMillis < 0 ? measured : (recordsPerMillis + measured) / 2;
    }
    if (processingMillis > intervalMillis && recordsPerMillis > 0) {
      long perPartition = (long) (recordsPerMillis * intervalMillis / partitions);
      limit = Math.max(minimumPerPartition, perPartition);
    } else if (limit != UNLIMITED) {
      limit = limit > UNLIMITED / 2 ? UNLIMITED : limit * 2;
      if ((double) limit * partitions > records * 4.0) {
        // The limit no longer binds: the inputs read far less than it allows.
        limit = UNLIMITED;
      }
    }
  }

  /** The most records one input partition may read in the next batch. */
  long limitPerPartition() {
    return limit;
  }
}
