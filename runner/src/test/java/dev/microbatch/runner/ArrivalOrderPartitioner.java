package dev.microbatch.runner;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * A Kafka partitioner whose choice depends on the order records reach the producer: the record
 * with the n-th distinct key sent to a topic goes to partition n mod (partitions of the topic).
 * One per producer. A record's partition is remembered by its key, because Kafka's producer may
 * ask the partitioner twice for one record (when it opens a new batch).
 */
public final class ArrivalOrderPartitioner implements Partitioner {
  private final Map<String, Integer> keysPerTopic = new HashMap<>();
  private final Map<String, Integer> partitionOfKey = new HashMap<>();

  @Override
  public synchronized int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    return partitionOfKey.computeIfAbsent(
        topic + "/" + key,
        k -> {
          int order = keysPerTopic.merge(topic, 1, Integer::sum) - 1;
          return order % cluster.partitionCountForTopic(topic);
        });
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
