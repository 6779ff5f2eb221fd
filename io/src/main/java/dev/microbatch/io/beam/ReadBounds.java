package dev.microbatch.io.beam;

/**
 * How much of an unbounded source a read takes: at most {@code maxRecords} in all, shared evenly
 * by the splits, and at most {@code maxReadMillis} of reading per split, counted from when its
 * reader opens. A split that reaches either bound is finished, its watermark at +infinity, so the
 * read ends like a bounded one (Beam's {@code Read.from(unbounded).withMaxNumRecords(n)}).
 */
public record ReadBounds(long maxRecords, long maxReadMillis) {
  /** An unbounded read: no bound at all. */
  public static final ReadBounds UNBOUNDED = new ReadBounds(Long.MAX_VALUE, Long.MAX_VALUE);

  // Beam's bounded read asks the source for one split per this many records, and at most
  // MAX_SPLITS splits; which records a read delivers depends on the splits, so the runner asks
  // for the same number as Beam does, not for one per partition.
  private static final long RECORDS_PER_SPLIT = 10_000;
  private static final int MAX_SPLITS = 100;

  public ReadBounds {
    if (maxRecords < 0 || maxReadMillis < 0) {
      throw new IllegalArgumentException(
          "Read bounds must not be negative: maxRecords=" + maxRecords + ", maxReadMillis=" + maxReadMillis);
    }
  }

  /**
   * How many splits to ask the source for: one per partition for an unbounded read; for a
   * bounded one, as many as Beam's {@code BoundedReadFromUnboundedSource} asks for.
   */
  public int desiredSplits(int partitions) {
    if (equals(UNBOUNDED)) {
      return partitions;
    }
    return (int) Math.min(MAX_SPLITS, maxRecords / RECORDS_PER_SPLIT + 1);
  }

  /** The record bound of split {@code index} of {@code splits}: an even share of the total. */
  public long recordsOfSplit(int index, int splits) {
    if (maxRecords == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    return maxRecords / splits + (index < maxRecords % splits ? 1 : 0);
  }
}
