package dev.microbatch.translation.reads;

import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.transforms.Deduplicate;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.ValueWithRecordId;

/**
 * What the runner puts in place of an unbounded read whose source {@linkplain
 * UnboundedSource#requiresDeduping() may deliver a record more than once} (as Pub/Sub redelivers
 * what was not acknowledged in time): the records keep their ids through a {@link Deduplicate} on
 * the id, which drops an id seen within the last {@link Deduplicate#DEFAULT_DURATION} of
 * processing time, as Beam's own splittable-DoFn read does. The ids seen are keyed state of that
 * step, so a checkpoint holds them and a restarted pipeline still drops what it already emitted.
 */
final class DeduplicatedUnboundedRead<T> extends PTransform<PBegin, PCollection<T>> {
  private final UnboundedSource<T, ?> source;

  DeduplicatedUnboundedRead(UnboundedSource<T, ?> source) {
    this.source = source;
  }

  @Override
  public PCollection<T> expand(PBegin input) {
    return input
        .apply("ReadWithIds", ReadUnboundedWithIds.unbounded(source))
        .apply(
            "Deduplicate",
            Deduplicate.<ValueWithRecordId<T>, byte[]>withRepresentativeValueFn(
                    ValueWithRecordId::getId)
                .withRepresentativeType(TypeDescriptor.of(byte[].class)))
        .apply("StripIds", ParDo.of(new ValueWithRecordId.StripIdsDoFn<T>()))
        .setCoder(source.getOutputCoder());
  }
}
