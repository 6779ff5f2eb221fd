package dev.microbatch.streaming.kafka;

import dev.microbatch.streaming.JavaDStream;
import dev.microbatch.streaming.JavaStreamingContext;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka streams for the DStream API, as Spark's {@code KafkaUtils}: the direct stream (see {@link
 * KafkaDirectInput}), exactly once into state with checkpoints, on {@code kafka-clients} alone.
 */
public final class KafkaUtils {
  private KafkaUtils() {}

  /**
   * The records of {@code topics}; {@code kafkaParams} are the consumer's (bootstrap.servers and
   * deserializers at least; auto.offset.reset decides where a first start begins).
   */
  public static <K, V> JavaDStream<ConsumerRecord<K, V>> createDirectStream(
      JavaStreamingContext ssc, Collection<String> topics, Map<String, Object> kafkaParams) {
    return createDirectStream(ssc, topics, kafkaParams, Long.MAX_VALUE, false);
  }

  /**
   * With at most {@code maxRecordsPerPartition} records per topic partition in a batch (Spark's
   * {@code maxRatePerPartition} times the interval), and, with {@code commitToKafka}, each
   * committed batch's offsets committed to the consumer group too.
   */
  public static <K, V> JavaDStream<ConsumerRecord<K, V>> createDirectStream(
      JavaStreamingContext ssc,
      Collection<String> topics,
      Map<String, Object> kafkaParams,
      long maxRecordsPerPartition,
      boolean commitToKafka) {
    return ssc.inputStream(
        engine -> new KafkaDirectInput<K, V>(engine, topics, kafkaParams, maxRecordsPerPartition, commitToKafka));
  }
}
