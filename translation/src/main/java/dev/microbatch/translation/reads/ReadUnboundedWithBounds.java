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
 * The runner's primitive for a bounded read of an unbounded source: every split is read batch by
 * batch, side by side, until it reaches its share of {@code maxNumRecords} or has read for {@code
 * maxReadTime}. Each record keeps its id, for deduplication downstream.
 */
public final class ReadUnboundedWithBounds<T>
    extends PTransform<PBegin, PCollection<ValueWithRecordId<T>>> {
  /** The URN the runner registers for this primitive. */
  public static final String URN = "dev.microbatch:transforms:read_unbounded_with_bounds:v1";

  private final UnboundedSource<T, ?> source;
  private final long maxNumRecords;
  private final @Nullable Duration maxReadTime;

  ReadUnboundedWithBounds(
      UnboundedSource<T, ?> source, long maxNumRecords, @Nullable Duration maxReadTime) {
    this.source = source;
    this.maxNumRecords = maxNumRecords;
    this.maxReadTime = maxReadTime;
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

  @Override
  public PCollection<ValueWithRecordId<T>> expand(PBegin input) {
    return PCollection.createPrimitiveOutputInternal(
        input.getPipeline(),
        WindowingStrategy.globalDefault(),
        PCollection.IsBounded.BOUNDED,
        ValueWithRecordId.ValueWithRecordIdCoder.of(source.getOutputCoder()));
  }
}
