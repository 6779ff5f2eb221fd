package dev.microbatch.runner;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * A Kafka partitioner whose choice depends on the order records reach the producer: the n-th
 * record sent to a topic goes to partition n mod (partitions of the topic). One per producer.
 */
public final class ArrivalOrderPartitioner implements Partitioner {
  private final Map<String, Integer> sentPerTopic = new HashMap<>();

  @Override
  public synchronized int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    int sent = sentPerTopic.merge(topic, 1, Integer::sum) - 1;
    return sent % cluster.partitionCountForTopic(topic);
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
