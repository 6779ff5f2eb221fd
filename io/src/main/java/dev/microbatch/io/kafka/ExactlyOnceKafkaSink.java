package dev.microbatch.io.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes key/value pairs to a Kafka topic exactly once on MicroBatchRunner, across any number of
 * crashes: a batch's records are kept in the checkpoint, written once the checkpoint covering the
 * batch is durable, each shard's batch in one Kafka transaction together with a mark of the batch
 * (offset metadata of the consumer group named by the sink id), and after a restart the restored
 * batches Kafka does not show as committed are written again. A consumer with {@code
 * isolation.level=read_committed} sees every record once. Needs {@code --checkpointDir}; a batch's
 * records appear once its checkpoint is durable, so output lags by about one checkpoint.
 *
 * <pre>{@code
 * counts.apply(ExactlyOnceKafkaSink.<String, Long>to("counts")
 *     .withBootstrapServers("broker:9092")
 *     .withSinkId("word-counts")
 *     .withKeySerializer(StringSerializer.class)
 *     .withValueSerializer(LongSerializer.class));
 * }</pre>
 *
 * <p>The sink id names the sink's transactional ids and its consumer group: it must be unique to
 * this pipeline and stay the same across restarts. A runner primitive: other runners cannot run it.
 */
public final class ExactlyOnceKafkaSink<K, V> extends PTransform<PCollection<KV<K, V>>, PDone> {
  /** The URN the runner translates this primitive by. */
  public static final String URN = "dev.microbatch:transforms:exactly_once_kafka_sink:v1";

  private final String topic;
  private final String sinkId;
  private final Map<String, Object> producerConfig;
  private final Class<? extends Serializer<K>> keySerializer;
  private final Class<? extends Serializer<V>> valueSerializer;
  private final String claimsTopic;

  private ExactlyOnceKafkaSink(
      String topic,
      String sinkId,
      Map<String, Object> producerConfig,
      Class<? extends Serializer<K>> keySerializer,
      Class<? extends Serializer<V>> valueSerializer,
      String claimsTopic) {
    this.topic = topic;
    this.claimsTopic = claimsTopic;
    this.sinkId = sinkId;
    this.producerConfig = Map.copyOf(producerConfig);
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
  }

  /** A sink to {@code topic}; set the brokers, the sink id and the serializers next. */
  public static <K, V> ExactlyOnceKafkaSink<K, V> to(String topic) {
    return new ExactlyOnceKafkaSink<>(topic, null, Map.of(), null, null, SinkClaim.DEFAULT_TOPIC);
  }

  public ExactlyOnceKafkaSink<K, V> withBootstrapServers(String servers) {
    return withProducerConfig(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
  }

  /** The id that names the sink's transactions and marks: unique, and kept across restarts. */
  public ExactlyOnceKafkaSink<K, V> withSinkId(String id) {
    return new ExactlyOnceKafkaSink<>(topic, id, producerConfig, keySerializer, valueSerializer, claimsTopic);
  }

  /** More producer settings (the sink sets the transactional id, idempotence and acks itself). */
  public ExactlyOnceKafkaSink<K, V> withProducerConfig(Map<String, Object> config) {
    Map<String, Object> merged = new HashMap<>(producerConfig);
    merged.putAll(config);
    return new ExactlyOnceKafkaSink<>(topic, sinkId, merged, keySerializer, valueSerializer, claimsTopic);
  }

  /**
   * The topic where sinks claim their ids, {@value SinkClaim#DEFAULT_TOPIC} by default: one
   * partition, kept forever; the sink creates it if it is missing. The first pipeline to claim a
   * sink id there owns it, and a sink of any other pipeline under that id fails before reading.
   */
  public ExactlyOnceKafkaSink<K, V> withClaimsTopic(String topic) {
    return new ExactlyOnceKafkaSink<>(this.topic, sinkId, producerConfig, keySerializer, valueSerializer, topic);
  }

  public ExactlyOnceKafkaSink<K, V> withKeySerializer(Class<? extends Serializer<K>> serializer) {
    return new ExactlyOnceKafkaSink<>(topic, sinkId, producerConfig, serializer, valueSerializer, claimsTopic);
  }

  public ExactlyOnceKafkaSink<K, V> withValueSerializer(Class<? extends Serializer<V>> serializer) {
    return new ExactlyOnceKafkaSink<>(topic, sinkId, producerConfig, keySerializer, serializer, claimsTopic);
  }

  public String topic() {
    return topic;
  }

  public String sinkId() {
    return sinkId;
  }

  public String claimsTopic() {
    return claimsTopic;
  }

  public Map<String, Object> producerConfig() {
    return producerConfig;
  }

  /** A new key serializer, configured as Kafka's producer would. */
  public Serializer<K> newKeySerializer() {
    return newSerializer(keySerializer, true);
  }

  /** A new value serializer, configured as Kafka's producer would. */
  public Serializer<V> newValueSerializer() {
    return newSerializer(valueSerializer, false);
  }

  private <T> Serializer<T> newSerializer(Class<? extends Serializer<T>> type, boolean isKey) {
    try {
      Serializer<T> serializer = type.getDeclaredConstructor().newInstance();
      serializer.configure(producerConfig, isKey);
      return serializer;
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("Cannot create the serializer " + type.getName() + ": " + e, e);
    }
  }

  @Override
  public PDone expand(PCollection<KV<K, V>> input) {
    String name = "ExactlyOnceKafkaSink to " + topic;
    Objects.requireNonNull(topic, name + ": the topic is not set");
    if (sinkId == null || sinkId.isBlank()) {
      throw new IllegalArgumentException(name + ": withSinkId(...) is required (unique, kept across restarts)");
    }
    if (!producerConfig.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException(name + ": withBootstrapServers(...) is required");
    }
    if (keySerializer == null || valueSerializer == null) {
      throw new IllegalArgumentException(name + ": withKeySerializer and withValueSerializer are required");
    }
    return PDone.in(input.getPipeline());
  }
}
