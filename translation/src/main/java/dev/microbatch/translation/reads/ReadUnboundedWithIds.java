package dev.microbatch.translation.reads;

import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.ValueWithRecordId;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The runner's primitive for a read of an unbounded source whose records keep their ids, for
 * deduplication downstream. Every split is read batch by batch, side by side; a bounded read ends
 * once each split has reached its share of {@code maxNumRecords} or has read for {@code
 * maxReadTime}, an unbounded one never does.
 */
public final class ReadUnboundedWithIds<T>
    extends PTransform<PBegin, PCollection<ValueWithRecordId<T>>> {
  /** The URN the runner registers for this primitive. */
  public static final String URN = "dev.microbatch:transforms:read_unbounded_with_ids:v1";

  private final UnboundedSource<T, ?> source;
  private final long maxNumRecords;
  private final @Nullable Duration maxReadTime;

  private ReadUnboundedWithIds(
      UnboundedSource<T, ?> source, long maxNumRecords, @Nullable Duration maxReadTime) {
    this.source = source;
    this.maxNumRecords = maxNumRecords;
    this.maxReadTime = maxReadTime;
  }

  /** A read that ends at {@code maxNumRecords} records or after {@code maxReadTime}. */
  static <T> ReadUnboundedWithIds<T> bounded(
      UnboundedSource<T, ?> source, long maxNumRecords, @Nullable Duration maxReadTime) {
    return new ReadUnboundedWithIds<>(source, maxNumRecords, maxReadTime);
  }

  /** A read that never ends. */
  static <T> ReadUnboundedWithIds<T> unbounded(UnboundedSource<T, ?> source) {
    return new ReadUnboundedWithIds<>(source, Long.MAX_VALUE, null);
  }

  public UnboundedSource<T, ?> source() {
    return source;
  }

  public long maxNumRecords() {
    return maxNumRecords;
  }

  /** How long each split reads, in milliseconds; {@code Long.MAX_VALUE} when not bounded. */
  public long maxReadMillis() {
    return maxReadTime == null ? Long.MAX_VALUE : maxReadTime.getMillis();
  }

  /** Whether the read ends. */
  public boolean isBounded() {
    return maxNumRecords != Long.MAX_VALUE || maxReadTime != null;
  }

  @Override
  public PCollection<ValueWithRecordId<T>> expand(PBegin input) {
    return PCollection.createPrimitiveOutputInternal(
        input.getPipeline(),
        WindowingStrategy.globalDefault(),
        isBounded() ? PCollection.IsBounded.BOUNDED : PCollection.IsBounded.UNBOUNDED,
        ValueWithRecordId.ValueWithRecordIdCoder.of(source.getOutputCoder()));
  }
}
