package dev.microbatch.io.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
  static void claim(String servers, String claimsTopic, String sinkId, String owner) {
    try {
      createIfMissing(servers, claimsTopic);
      long mine = append(servers, claimsTopic, sinkId, owner);
      String first = firstOwner(servers, claimsTopic, sinkId, mine);
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

  private static void createIfMissing(String servers, String topic)
      throws InterruptedException, ExecutionException, TimeoutException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
      if (admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
        return;
      }
      // One partition: one order. Kept forever: the first claim must never be deleted.
      NewTopic claims =
          new NewTopic(topic, Optional.of(1), Optional.empty())
              .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1"));
      admin.createTopics(List.of(claims)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  /** Appends the claim; returns its offset. */
  private static long append(String servers, String topic, String sinkId, String owner)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      return producer
          .send(new ProducerRecord<>(topic, 0, sinkId, owner))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .offset();
    }
  }

  /** The owner in the first claim of {@code sinkId}, reading the claims up to offset {@code upTo}. */
  private static String firstOwner(String servers, String topic, String sinkId, long upTo)
      throws TimeoutException {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    TopicPartition partition = new TopicPartition(topic, 0);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() > upTo) {
            break;
          }
          if (sinkId.equals(record.key())) {
            // Our own claim is among these, so the first one is found by the time ours is read.
            return record.value();
          }
        }
      }
    }
    throw new TimeoutException("the claims up to offset " + upTo + " of " + partition + " were not read in " + TIMEOUT);
  }
}
