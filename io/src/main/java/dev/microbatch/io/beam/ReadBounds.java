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

  public ReadBounds {
    if (maxRecords < 0 || maxReadMillis < 0) {
      throw new IllegalArgumentException(
          "Read bounds must not be negative: maxRecords=" + maxRecords + ", maxReadMillis=" + maxReadMillis);
    }
  }

  /** The record bound of split {@code index} of {@code splits}: an even share of the total. */
  public long recordsOfSplit(int index, int splits) {
    if (maxRecords == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    return maxRecords / splits + (index < maxRecords % splits ? 1 : 0);
  }
}
