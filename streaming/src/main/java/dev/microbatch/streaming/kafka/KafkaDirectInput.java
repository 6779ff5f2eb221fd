package dev.microbatch.streaming.kafka;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.streaming.ContinuousInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka direct stream: no receiver. Before each batch runs, its offset range per topic
 * partition is fixed (from the committed offsets to the partition's end, at most {@code
 * maxRecordsPerPartition}); the batch's tasks read exactly those ranges, topic partition {@code i}
 * in engine partition {@code i mod n}; the committed offsets are the checkpoint's position. A
 * first start begins at the group's offsets in Kafka, else as {@code auto.offset.reset} says.
 * With {@code commitToKafka}, each committed batch's offsets are also committed to the group
 * (for monitoring: the checkpoint, not Kafka, is what a restart continues from).
 */
final class KafkaDirectInput<K, V> extends ContinuousInput<ConsumerRecord<K, V>> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDirectInput.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final List<String> topics;
  private final Map<String, Object> kafkaParams;
  private final long maxRecordsPerPartition;
  private final boolean commitToKafka;
  // One consumer per engine partition (a consumer is single-threaded; a partition's tasks never overlap).
  private final Map<Integer, KafkaConsumer<K, V>> readers = new ConcurrentHashMap<>();
  private KafkaConsumer<K, V> metadata;
  private volatile Map<TopicPartition, Long> committed;

  KafkaDirectInput(
      StreamingContext context,
      Collection<String> topics,
      Map<String, Object> kafkaParams,
      long maxRecordsPerPartition,
      boolean commitToKafka) {
    super(context, "kafkaDirectStream");
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("A Kafka direct stream needs at least one topic.");
    }
    if (!kafkaParams.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("The Kafka parameters need bootstrap.servers.");
    }
    if (commitToKafka && !kafkaParams.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
      throw new IllegalArgumentException("Committing offsets to Kafka needs a group.id in the Kafka parameters.");
    }
    if (maxRecordsPerPartition < 1) {
      throw new IllegalArgumentException("maxRecordsPerPartition must be positive, got " + maxRecordsPerPartition + ".");
    }
    this.topics = List.copyOf(new TreeSet<>(topics));
    Map<String, Object> params = new HashMap<>(kafkaParams);
    // Offsets are ours to keep: Kafka must not commit on its own.
    params.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.kafkaParams = Map.copyOf(params);
    this.maxRecordsPerPartition = maxRecordsPerPartition;
    this.commitToKafka = commitToKafka;
    context.addCloseHook(this::close);
  }

  /** The ranges of one batch, fixed once. */
  private record Ranges(List<OffsetRange> ranges) {}

  @Override
  protected PartitionRead<ConsumerRecord<K, V>> read(int partition, TaskContext task) {
    Ranges batch = task.batchShared(this, this::nextRanges);
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    for (int i = partition; i < batch.ranges().size(); i += task.numPartitions()) {
      OffsetRange range = batch.ranges().get(i);
      if (range.count() > 0) {
        readRange(readers.computeIfAbsent(partition, p -> newConsumer()), range, records);
      }
    }
    return new PartitionRead<>(records, batch, Watermarks.MIN);
  }

  private void readRange(KafkaConsumer<K, V> consumer, OffsetRange range, List<ConsumerRecord<K, V>> out) {
    TopicPartition tp = new TopicPartition(range.topic(), range.partition());
    consumer.assign(List.of(tp));
    consumer.seek(tp, range.fromOffset());
    // Offsets may have gaps (transaction markers, compaction): read until the position passes the range.
    while (consumer.position(tp) < range.untilOffset()) {
      for (ConsumerRecord<K, V> record : consumer.poll(POLL).records(tp)) {
        if (record.offset() < range.untilOffset()) {
          out.add(record);
        }
      }
    }
  }

  private synchronized Ranges nextRanges() {
    KafkaConsumer<K, V> consumer = metadataConsumer();
    Set<TopicPartition> partitions = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, POLL.multipliedBy(50));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("The Kafka topic " + topic + " does not exist or has no partitions.");
      }
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    Map<TopicPartition, Long> starts = startingOffsets(consumer, partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    List<OffsetRange> ranges = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      long from = starts.get(tp);
      // The limit is often Long.MAX_VALUE: compare the gap, never add to the offset.
      long until = Math.max(from, from + Math.min(ends.get(tp) - from, maxRecordsPerPartition));
      ranges.add(new OffsetRange(tp.topic(), tp.partition(), from, until));
    }
    return new Ranges(List.copyOf(ranges));
  }

  /** The committed offsets; for partitions without one, the group's, else by auto.offset.reset. */
  private Map<TopicPartition, Long> startingOffsets(KafkaConsumer<K, V> consumer, Set<TopicPartition> partitions) {
    Map<TopicPartition, Long> starts = new HashMap<>();
    List<TopicPartition> missing = new ArrayList<>();
    Map<TopicPartition, Long> known = committed == null ? Map.of() : committed;
    for (TopicPartition tp : partitions) {
      if (known.containsKey(tp)) {
        starts.put(tp, known.get(tp));
      } else {
        missing.add(tp);
      }
    }
    if (missing.isEmpty()) {
      return starts;
    }
    if (kafkaParams.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
      for (Map.Entry<TopicPartition, OffsetAndMetadata> group : consumer.committed(Set.copyOf(missing)).entrySet()) {
        if (group.getValue() != null) {
          starts.put(group.getKey(), group.getValue().offset());
        }
      }
      missing.removeIf(starts::containsKey);
    }
    boolean earliest = "earliest".equals(kafkaParams.getOrDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"));
    Map<TopicPartition, Long> reset = earliest ? consumer.beginningOffsets(missing) : consumer.endOffsets(missing);
    starts.putAll(reset);
    // Fixed now, so a failed first batch reads the same offsets again.
    Map<TopicPartition, Long> pinned = new HashMap<>(known);
    for (TopicPartition tp : missing) {
      pinned.put(tp, reset.get(tp));
    }
    committed = Map.copyOf(pinned);
    return starts;
  }

  private KafkaConsumer<K, V> metadataConsumer() {
    if (metadata == null) {
      metadata = newConsumer();
    }
    return metadata;
  }

  private KafkaConsumer<K, V> newConsumer() {
    return new KafkaConsumer<>(new HashMap<>(kafkaParams));
  }

  @Override
  protected void commit(List<Object> progress) {
    Ranges batch = (Ranges) progress.get(0);
    Map<TopicPartition, Long> next = new HashMap<>(committed == null ? Map.of() : committed);
    Map<TopicPartition, OffsetAndMetadata> toKafka = new HashMap<>();
    for (OffsetRange range : batch.ranges()) {
      TopicPartition tp = new TopicPartition(range.topic(), range.partition());
      next.put(tp, range.untilOffset());
      toKafka.put(tp, new OffsetAndMetadata(range.untilOffset()));
    }
    committed = Map.copyOf(next);
    if (commitToKafka) {
      synchronized (this) {
        metadataConsumer()
            .commitAsync(
                toKafka,
                (offsets, error) -> {
                  if (error != null) {
                    LOG.warn("Committing offsets to Kafka failed (the checkpoint has them): {}", error.toString());
                  }
                });
      }
    }
  }

  /** The position: int32 count, then per topic partition its topic (int32 length, UTF-8), int32 partition, int64 offset. */
  @Override
  protected byte[] checkpointPosition() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Map<TopicPartition, Long> offsets = committed == null ? Map.of() : committed;
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(offsets.size());
      for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
        Encoding.writeString(out, entry.getKey().topic());
        out.writeInt(entry.getKey().partition());
        out.writeLong(entry.getValue());
      }
    }
    return bytes.toByteArray();
  }

  @Override
  protected void restorePosition(byte[] position) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(position));
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("Corrupt checkpoint data: " + count + " Kafka partitions");
    }
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String topic = Encoding.readString(in);
      offsets.put(new TopicPartition(topic, in.readInt()), in.readLong());
    }
    committed = Map.copyOf(offsets);
  }

  @Override
  public String checkpointFingerprint() {
    return "kafkaDirectStream-v1" + topics;
  }


  private synchronized void close() {
    readers.values().forEach(KafkaConsumer::close);
    readers.clear();
    if (metadata != null) {
      metadata.close();
      metadata = null;
    }
  }
}
