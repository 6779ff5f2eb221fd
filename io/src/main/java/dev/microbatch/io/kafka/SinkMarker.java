package dev.microbatch.io.kafka;

/**
 * The mark a sink's transaction commits together with its records: the offset metadata of one
 * partition (the shard's number in the output topic) under the sink's consumer group, saying which
 * batch the transaction wrote. A restarted sink reads it to skip batches Kafka already has.
 */
final class SinkMarker {
  private static final String PREFIX = "microbatch-sink:v1:batch=";

  private SinkMarker() {}

  static String of(long batchId) {
    return PREFIX + batchId;
  }

  /**
   * The batch a committed mark names, -1 for none.
   *
   * @throws IllegalStateException if the group holds offsets that are not a sink's mark
   */
  static long batchOf(String metadata, String group) {
    if (metadata == null || !metadata.startsWith(PREFIX)) {
      throw new IllegalStateException(
          "The consumer group '" + group + "' has offsets that are not an exactly-once sink's marks"
              + " (metadata: '" + metadata + "'): the sink id must name a group no consumer uses.");
    }
    return Long.parseLong(metadata.substring(PREFIX.length()));
  }
}
