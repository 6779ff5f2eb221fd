package dev.microbatch.translation.reads;

import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.ValueWithRecordId;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * What the runner puts in place of Beam's {@code BoundedReadFromUnboundedSource}: the same result
 * (deduplicated by record id when the source asks for it), but its splits are read side by side,
 * batch by batch, by {@link ReadUnboundedWithIds}, instead of one blocking DoFn call per split,
 * which would leave all but a few splits waiting for a worker thread for the whole read time.
 */
final class BoundedReadOfUnboundedSource<T> extends PTransform<PBegin, PCollection<T>> {
  private final UnboundedSource<T, ?> source;
  private final long maxNumRecords;
  private final @Nullable Duration maxReadTime;

  BoundedReadOfUnboundedSource(
      UnboundedSource<T, ?> source, long maxNumRecords, @Nullable Duration maxReadTime) {
    this.source = source;
    this.maxNumRecords = maxNumRecords;
    this.maxReadTime = maxReadTime;
  }

  @Override
  public PCollection<T> expand(PBegin input) {
    PCollection<ValueWithRecordId<T>> read =
        input.apply("Read", ReadUnboundedWithIds.bounded(source, maxNumRecords, maxReadTime));
    if (source.requiresDeduping()) {
      read =
          read.apply(
              "Deduplicate",
              Distinct.<ValueWithRecordId<T>, byte[]>withRepresentativeValueFn(
                      ValueWithRecordId::getId)
                  .withRepresentativeType(TypeDescriptor.of(byte[].class)));
    }
    return read.apply("StripIds", ParDo.of(new ValueWithRecordId.StripIdsDoFn<T>()))
        .setCoder(source.getOutputCoder());
  }
}
