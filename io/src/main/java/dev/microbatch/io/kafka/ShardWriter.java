package dev.microbatch.io.kafka;

import dev.microbatch.engine.checkpoint.Failpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes one shard's batches to Kafka, each batch in one transaction that also commits the
 * shard's mark (see {@link SinkMarker}), so a batch is in Kafka completely, with its mark, or not
 * at all. Its transactional id is fixed per sink and shard: opening it fences a previous
 * incarnation (the process a crash killed) and aborts that one's open transaction. Batches come in
 * order, each at most once per incarnation; one already marked is skipped. Not thread-safe: one
 * thread per shard.
 */
final class ShardWriter implements AutoCloseable {
  private final String topic;
  private final String group;
  private final TopicPartition markPartition;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Failpoint failpoint;
  private final String owner;
  private long committedThrough;

  /**
   * Opens the shard's transactional producer.
   *
   * @param committedThrough the batch the shard's mark in Kafka names, -1 for none
   * @param owner the pipeline's checkpoint directory, written into every mark
   */
  ShardWriter(
      String topic,
      String sinkId,
      int shard,
      Map<String, Object> producerConfig,
      long committedThrough,
      String owner,
      Failpoint failpoint) {
    this.topic = topic;
    this.owner = owner;
    this.failpoint = failpoint;
    this.group = sinkId;
    this.markPartition = new TopicPartition(topic, shard);
    this.committedThrough = committedThrough;
    Properties config = new Properties();
    config.putAll(producerConfig);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(sinkId, shard));
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      producer.initTransactions();
    } catch (KafkaException e) {
      producer.close(Duration.ZERO);
      throw new IllegalStateException(
          "The exactly-once Kafka sink '" + sinkId + "' could not open its transactional producer '"
              + transactionalId(sinkId, shard) + "' on " + producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
              + ": the brokers must support transactions (transaction.state.log.replication.factor and"
              + " transaction.state.log.min.isr no larger than the brokers available): " + e,
          e);
    }
  }

  static String transactionalId(String sinkId, int shard) {
    return "microbatch-" + sinkId + "-shard-" + shard;
  }

  /** The newest batch Kafka holds for this shard, -1 for none. */
  long committedThrough() {
    return committedThrough;
  }

  /** Writes {@code records} as batch {@code batchId} in one transaction, unless Kafka has it. */
  void write(long batchId, List<OutboxRecord> records) throws Exception {
    if (batchId <= committedThrough) {
      return;
    }
    try {
      producer.beginTransaction();
      Future<?>[] sent = new Future<?>[records.size()];
      for (int i = 0; i < sent.length; i++) {
        OutboxRecord record = records.get(i);
        sent[i] = producer.send(new ProducerRecord<>(topic, record.key(), record.value()));
      }
      producer.sendOffsetsToTransaction(
          Map.of(markPartition, new OffsetAndMetadata(0, new SinkMarker(batchId, owner).encode())),
          new ConsumerGroupMetadata(group));
      producer.flush();
      failpoint.reach("sink-before-commit");
      producer.commitTransaction();
      for (Future<?> f : sent) {
        RecordMetadata unused = (RecordMetadata) f.get(); // a failed send failed the commit too
      }
    } catch (ProducerFencedException e) {
      throw new IllegalStateException(
          "The exactly-once Kafka sink '" + group + "' was fenced: another process opened its"
              + " transactional id " + transactionalId(group, markPartition.partition())
              + ". Two pipelines must not share one sink id.",
          e);
    } catch (KafkaException e) {
      try {
        producer.abortTransaction();
      } catch (KafkaException abortFailed) {
        e.addSuppressed(abortFailed);
      }
      throw e;
    }
    committedThrough = batchId;
  }

  @Override
  public void close() {
    producer.close();
  }
}
