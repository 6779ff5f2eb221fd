package dev.microbatch.streaming.kafka;

/**
 * The records of one Kafka topic partition a batch reads: offsets {@code [fromOffset,
 * untilOffset)}, fixed before the batch runs, as Spark's {@code OffsetRange}.
 */
public record OffsetRange(String topic, int partition, long fromOffset, long untilOffset) {
  public long count() {
    return untilOffset - fromOffset;
  }
}
