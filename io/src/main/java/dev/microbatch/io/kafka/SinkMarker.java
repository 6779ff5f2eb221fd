package dev.microbatch.io.kafka;

/**
 * The mark a sink's transaction commits together with its records: the offset metadata of one
 * partition (the shard's number in the output topic) under the sink's consumer group, saying which
 * batch the transaction wrote and which pipeline wrote it (its checkpoint directory: batch numbers
 * mean something only within one pipeline's checkpoints). A restarted sink reads it to skip
 * batches Kafka already has; a sink of another pipeline refuses to write under it.
 */
record SinkMarker(long batchId, String owner) {
  private static final String PREFIX = "microbatch-sink:v2:batch=";
  private static final String OWNER = ":owner=";

  String encode() {
    return PREFIX + batchId + OWNER + owner;
  }

  /**
   * The mark in committed offset metadata.
   *
   * @throws IllegalStateException if the group holds offsets that are not a sink's mark
   */
  static SinkMarker decode(String metadata, String group) {
    int ownerAt = metadata == null ? -1 : metadata.indexOf(OWNER);
    if (ownerAt < 0 || !metadata.startsWith(PREFIX)) {
      throw new IllegalStateException(
          "The consumer group '" + group + "' has offsets that are not an exactly-once sink's marks"
              + " (metadata: '" + metadata + "'): the sink id must name a group no consumer uses.");
    }
    return new SinkMarker(
        Long.parseLong(metadata.substring(PREFIX.length(), ownerAt)),
        metadata.substring(ownerAt + OWNER.length()));
  }
}
