package dev.microbatch.runner.crash;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * A user's own timestamp policy, as the crash test's marker variant uses it: a record's event time
 * is its create time, and a partition's watermark the newest event time it has read (no delay), so
 * a record stamped at the end of time ends the partition's input.
 */
final class MaxSeenTimestampPolicy extends TimestampPolicy<String, String> {
  private Instant newest;

  MaxSeenTimestampPolicy(Optional<Instant> previousWatermark) {
    this.newest = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<String, String> record) {
    Instant time = new Instant(record.getTimestamp());
    if (time.isAfter(newest)) {
      newest = time;
    }
    return time;
  }

  @Override
  public Instant getWatermark(PartitionContext context) {
    return newest;
  }
}
