package dev.microbatch.io.kafka;

import dev.microbatch.engine.checkpoint.Failpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running side of one exactly-once sink: a {@link ShardWriter} per shard, each on its own
 * thread so that batches of one shard are written in order and shards side by side, off the batch
 * path. Batches are handed over once the checkpoint covering them is durable. A failed write fails
 * the sink: the next batch of the stage throws it, and so does {@link #close}, which first waits for
 * every batch handed over (a graceful stop drains). Opened before the pipeline reads anything, so a
 * missing topic, a broker without transactions or a group used by consumers fails the run at once.
 */
public final class SinkShards implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkShards.class);

  private final String sinkId;
  private final List<ShardWriter> writers = new ArrayList<>();
  private final List<ExecutorService> threads = new ArrayList<>();
  private final AtomicLongArray committedThrough;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Failpoint failpoint;

  private SinkShards(String sinkId, int shards, Failpoint failpoint) {
    this.sinkId = sinkId;
    this.failpoint = failpoint;
    this.committedThrough = new AtomicLongArray(shards);
  }

  /**
   * Opens every shard's writer, after checking the topic and reading the shards' marks.
   *
   * @param claimsTopic where sinks claim their ids ({@link SinkClaim}): another pipeline's claim
   *     of the sink id, or marks it wrote, fail the open
   * @param owner the pipeline's checkpoint directory
   * @param failpoint test only: where a crash test stops the process ({@link Failpoint#NONE})
   */
  public static SinkShards open(
      String topic,
      String sinkId,
      int shards,
      Map<String, Object> producerConfig,
      String claimsTopic,
      String owner,
      Failpoint failpoint) {
    SinkShards sink = new SinkShards(sinkId, shards, failpoint);
    // Marks first: a pipeline that marks already refuse must not leave a claim that would then
    // come first and lock the owner out (claims are never removed).
    long[] marks = readMarks(topic, sinkId, shards, producerConfig, owner);
    SinkClaim.claim(producerConfig, claimsTopic, sinkId, owner);
    try {
      for (int shard = 0; shard < shards; shard++) {
        sink.committedThrough.set(shard, marks[shard]);
        sink.writers.add(new ShardWriter(topic, sinkId, shard, producerConfig, marks[shard], owner, failpoint));
        String threadName = "microbatch-sink-" + sinkId + "-" + shard;
        sink.threads.add(
            Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, threadName);
                  t.setDaemon(true);
                  return t;
                }));
      }
    } catch (RuntimeException e) {
      sink.closeWriters();
      throw e;
    }
    LOG.info("Exactly-once Kafka sink '{}' to topic {}: {} shards, Kafka holds batches through {}",
        sinkId, topic, shards, Arrays.toString(marks));
    return sink;
  }

  private static long[] readMarks(
      String topic, String sinkId, int shards, Map<String, Object> producerConfig, String owner) {
    Object servers = producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = Admin.create(ClientSettings.of(producerConfig, AdminClientConfig.configNames()))) {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      if (description.partitions().size() < shards) {
        throw new IllegalArgumentException(
            "The exactly-once Kafka sink '" + sinkId + "' writes " + shards + " shards, but topic "
                + topic + " has " + description.partitions().size() + " partitions: it needs one per"
                + " shard to keep each shard's mark (run with --parallelism at most the partitions).");
      }
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(sinkId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      long[] marks = new long[shards];
      Arrays.fill(marks, -1);
      Set<String> others = new HashSet<>();
      offsets.forEach(
          (partition, offset) -> {
            if (offset == null) {
              return;
            }
            if (!partition.topic().equals(topic) || partition.partition() >= shards) {
              others.add(partition.toString());
              return;
            }
            SinkMarker mark = SinkMarker.decode(offset.metadata(), sinkId);
            if (!mark.owner().equals(owner)) {
              throw new IllegalStateException(
                  "The exactly-once Kafka sink id '" + sinkId + "' is taken: Kafka holds batches"
                      + " written under it by the pipeline checkpointing to " + mark.owner() + ", and"
                      + " this pipeline checkpoints to " + owner + ". Two pipelines must not share a"
                      + " sink id (it names their transactional ids and marks); give this one its own,"
                      + " or restart the other from its own checkpoint directory.");
            }
            marks[partition.partition()] = mark.batchId();
          });
      if (!others.isEmpty()) {
        throw new IllegalStateException(
            "The consumer group '" + sinkId + "' of the exactly-once Kafka sink has offsets of " + others
                + ": it belongs to another pipeline or consumer, or this sink wrote with more shards"
                + " before. Give the sink a sink id of its own.");
      }
      return marks;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while opening the Kafka sink " + sinkId, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "The exactly-once Kafka sink '" + sinkId + "' cannot read topic " + topic + " or its marks on "
              + servers + ": " + e.getMessage(),
          e);
    }
  }

  /** The newest batch Kafka holds for {@code shard} (as far as this process knows), -1 for none. */
  public long committedThrough(int shard) {
    return committedThrough.get(shard);
  }

  /** Throws the failure of a write, if one failed. */
  public void throwIfFailed() {
    Throwable failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("The exactly-once Kafka sink '" + sinkId + "' failed to write", failed);
    }
  }

  /** Writes batch {@code batchId} of {@code shard} on the shard's thread, after those before it. */
  public void write(int shard, long batchId, List<OutboxRecord> records) {
    threads.get(shard).execute(
        () -> {
          if (failure.get() != null) {
            return;
          }
          try {
            ShardWriter writer = writers.get(shard);
            long before = writer.committedThrough();
            writer.write(batchId, records);
            LOG.debug(
                "Exactly-once Kafka sink '{}': shard {} batch {}: {} records {}",
                sinkId, shard, batchId, records.size(), batchId <= before ? "already in Kafka" : "committed");
            committedThrough.set(shard, writer.committedThrough());
            failpoint.reach("sink-after-commit");
          } catch (Exception | Error e) {
            LOG.error("Exactly-once Kafka sink '{}': writing batch {} of shard {} failed", sinkId, batchId, shard, e);
            failure.compareAndSet(null, e);
          }
        });
  }

  /** Waits for every batch handed over, then closes the producers; throws a write's failure. */
  @Override
  public void close() throws InterruptedException {
    for (ExecutorService thread : threads) {
      thread.shutdown();
    }
    for (ExecutorService thread : threads) {
      thread.awaitTermination(Long.MAX_VALUE, TimeUnit.MILLISECONDS);
    }
    closeWriters();
    throwIfFailed();
  }

  private void closeWriters() {
    writers.forEach(ShardWriter::close);
  }
}
