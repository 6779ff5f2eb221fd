package dev.microbatch.io.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Who owns a sink id: the pipeline whose claim comes first in the claims topic (one partition,
 * records never deleted: key the sink id, value the owner). Every open of a sink appends its claim
 * and reads the partition up to it: if the first claim of the sink id is another pipeline's, the
 * open fails, before the pipeline reads anything. The log's order decides, so of two pipelines
 * that start at the same moment under one sink id exactly one goes on, which the sink's marks alone
 * cannot decide (neither finds a mark yet). A restart of the owner only appends another claim.
 */
final class SinkClaim {
  /** The claims topic unless the sink names another. */
  static final String DEFAULT_TOPIC = "microbatch-sink-claims";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private SinkClaim() {}

  /**
   * Claims {@code sinkId} for {@code owner} in {@code claimsTopic} (created if missing).
   *
   * @throws IllegalStateException if another pipeline claimed the sink id first
   */
  static void claim(Map<String, Object> producerConfig, String claimsTopic, String sinkId, String owner) {
    Object servers = producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    try {
      createOrCheck(producerConfig, claimsTopic);
      long mine = append(producerConfig, claimsTopic, sinkId, owner);
      String first = firstOwner(producerConfig, claimsTopic, sinkId, mine);
      if (!first.equals(owner)) {
        throw new IllegalStateException(
            "The exactly-once Kafka sink id '" + sinkId + "' belongs to the pipeline checkpointing to "
                + first + " (its claim comes first in topic " + claimsTopic + "), and this pipeline"
                + " checkpoints to " + owner + ". Two pipelines must not share a sink id (it names their"
                + " transactional ids and marks): give this one its own.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while claiming the Kafka sink id " + sinkId, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "The exactly-once Kafka sink '" + sinkId + "' cannot claim its id in topic " + claimsTopic
              + " on " + servers + " (it needs to create, write and read that topic): " + e.getMessage(),
          e);
    }
  }

  // What keeps the first claim of every id in its place: no deletion by age or size, no compaction.
  private static final Map<String, String> KEEP_FOREVER =
      Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1");

  /**
   * Creates the claims topic, or checks that the one there keeps claims forever in one order (a
   * topic created by hand or by the broker's defaults may delete old claims or compact them).
   */
  private static void createOrCheck(Map<String, Object> producerConfig, String topic)
      throws InterruptedException, ExecutionException, TimeoutException {
    try (Admin admin = Admin.create(ClientSettings.of(producerConfig, AdminClientConfig.configNames()))) {
      if (!admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
        try {
          NewTopic claims = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(KEEP_FOREVER);
          admin.createTopics(List.of(claims)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          return;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          // Another sink created it at the same moment: check it like any existing one.
        }
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config =
          admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic).partitions().size();
      List<String> wrong = new ArrayList<>();
      KEEP_FOREVER.forEach(
          (name, wanted) -> {
            ConfigEntry entry = config.get(name);
            if (entry == null || !wanted.equals(entry.value())) {
              wrong.add(name + "=" + (entry == null ? "unset" : entry.value()) + " (needs " + wanted + ")");
            }
          });
      if (partitions != 1) {
        wrong.add(partitions + " partitions (needs 1)");
      }
      if (!wrong.isEmpty()) {
        throw new IllegalStateException(
            "The claims topic " + topic + " of the exactly-once Kafka sinks must keep every claim, in one"
                + " order: " + String.join(", ", wrong) + ". Fix its settings or name another topic with"
                + " withClaimsTopic.");
      }
    }
  }

  /** Appends the claim; returns its offset. */
  private static long append(Map<String, Object> producerConfig, String topic, String sinkId, String owner)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, Object> config = ClientSettings.of(producerConfig, ProducerConfig.configNames());
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      return producer
          .send(new ProducerRecord<>(topic, 0, sinkId, owner))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .offset();
    }
  }

  /** The owner in the first claim of {@code sinkId}, reading the claims up to offset {@code upTo}. */
  private static String firstOwner(Map<String, Object> producerConfig, String topic, String sinkId, long upTo)
      throws TimeoutException {
    Map<String, Object> config = ClientSettings.of(producerConfig, ConsumerConfig.configNames());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    TopicPartition partition = new TopicPartition(topic, 0);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (sinkId.equals(record.key())) {
            return record.value();
          }
          if (record.offset() >= upTo) {
            throw new IllegalStateException(
                "The claim of sink id '" + sinkId + "' at offset " + upTo + " of " + partition
                    + " is not there: the claims topic lost records.");
          }
        }
      }
    }
    throw new TimeoutException("the claims up to offset " + upTo + " of " + partition + " were not read in " + TIMEOUT);
  }
}
