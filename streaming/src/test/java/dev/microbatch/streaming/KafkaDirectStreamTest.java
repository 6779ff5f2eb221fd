package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.microbatch.streaming.kafka.KafkaUtils;
import dev.microbatch.testing.InProcessKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka direct stream against a real broker: offset ranges per batch, limits, restarts. */
class KafkaDirectStreamTest {
  private static InProcessKafka kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = new InProcessKafka();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  private static void write(String topic, int from, int to) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
      }
    }
  }

  private static Map<String, Object> params(String group) {
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", kafka.bootstrapServers());
    params.put("key.deserializer", StringDeserializer.class);
    params.put("value.deserializer", StringDeserializer.class);
    params.put("auto.offset.reset", "earliest");
    params.put("group.id", group);
    return params;
  }

  private static List<String> values(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "v" + i).toList();
  }

  @Test
  void eachBatchReadsWhatArrivedSinceTheLastAndCommitsItToTheGroup() throws Exception {
    kafka.createTopic("direct", 3);
    write("direct", 0, 50);
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaDStream<ConsumerRecord<String, String>> records =
          KafkaUtils.createDirectStream(h.ssc(), List.of("direct"), params("g1"), Long.MAX_VALUE, true);
      Map<Long, List<String>> seen = h.collect(records.map(ConsumerRecord::value));
      h.start();
      h.runBatches(1);
      write("direct", 50, 60);
      h.runBatches(2);
      assertThat(seen.get(1L), containsInAnyOrder(values(0, 50).toArray()));
      assertThat(seen.get(2L), containsInAnyOrder(values(50, 60).toArray()));
      assertThat(seen.get(3L), empty());
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      long committed = 0;
      while (committed != 60 && System.nanoTime() < deadline) {
        Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("g1").partitionsToOffsetAndMetadata().get();
        committed = offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        Thread.sleep(50);
      }
      assertThat(committed, equalTo(60L));
    }
  }

  @Test
  void aLimitPerPartitionSpreadsABacklogOverBatches() throws Exception {
    kafka.createTopic("limited", 2);
    write("limited", 0, 30);
    try (StreamingHarness h = new StreamingHarness(2)) {
      Map<Long, List<String>> seen =
          h.collect(
              KafkaUtils.<String, String>createDirectStream(h.ssc(), List.of("limited"), params("g2"), 5, false)
                  .map(ConsumerRecord::value));
      h.start();
      h.runBatches(4);
      List<String> all = new ArrayList<>();
      for (long batch = 1; batch <= 4; batch++) {
        assertThat(seen.get(batch).size() <= 10, equalTo(true));
        all.addAll(seen.get(batch));
      }
      assertThat(all, containsInAnyOrder(values(0, 30).toArray()));
    }
  }

  @Test
  void aRestartContinuesFromTheCheckpointedOffsets(@TempDir Path dir) throws Exception {
    kafka.createTopic("restart", 3);
    write("restart", 0, 20);
    String checkpoint = dir.resolve("checkpoint").toString();
    try (StreamingHarness first = new StreamingHarness(2)) {
      Map<Long, List<String>> seen =
          first.collect(
              KafkaUtils.<String, String>createDirectStream(first.ssc(), List.of("restart"), params("g3"))
                  .map(ConsumerRecord::value));
      first.ssc().checkpoint(checkpoint);
      first.start();
      first.runBatches(1);
      assertThat(seen.get(1L), containsInAnyOrder(values(0, 20).toArray()));
    }
    write("restart", 20, 25);
    try (StreamingHarness second = new StreamingHarness(2, 1_000)) {
      Map<Long, List<String>> seen =
          second.collect(
              KafkaUtils.<String, String>createDirectStream(second.ssc(), List.of("restart"), params("g3"))
                  .map(ConsumerRecord::value));
      second.ssc().checkpoint(checkpoint);
      second.start();
      second.runBatches(1);
      assertThat(seen.get(2L), containsInAnyOrder(values(20, 25).toArray()));
    }
  }
}
