package dev.microbatch.runner.crash;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microbatch.runner.InProcessKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka in, Kafka out, exactly once under SIGKILL: {@link KafkaExactlyOncePipeline} runs in a child
 * JVM against a real broker in this JVM while the input grows; the test kills the child at
 * checkpoint failpoints and at random moments, restarting it each time on the same checkpoint
 * directory. Then a last start runs until the output is complete, and the output, read with {@code
 * read_committed}, must hold {@code key:1} to {@code key:n} for each key with n records, each
 * exactly once, and nothing else.
 */
class KafkaExactlyOnceCrashTest {
  private static final int KILLS = Integer.getInteger("crash.kills", 20);
  private static final int KEYS = 10;
  private static final int RECORDS = Math.max(6_000, 300 * KILLS);
  // A batch has committed, no checkpoint covers it; data files written, no manifest; the manifest
  // written (the checkpoint durable), its batches' transactions not begun; a transaction holds a
  // batch's records, not committed; committed, and no checkpoint has recorded that yet.
  private static final List<String> FAILPOINTS =
      List.of(
          "after-commit:3",
          "before-manifest:2",
          "after-manifest:3",
          "sink-before-commit:2",
          "sink-after-commit:3",
          "after-manifest:8",
          "sink-after-commit:8");

  @TempDir Path temp;

  @Test
  void killedAgainAndAgainWritesEveryResultExactlyOnce() throws Exception {
    try (InProcessKafka kafka = new InProcessKafka()) {
      kafka.createTopic("input", 3);
      kafka.createTopic("output", 2);
      String checkpoints = temp.resolve("checkpoints").toUri().toString();
      Random random = new Random(7);
      // The input keeps arriving while the child is killed, so kills land mid-stream.
      CompletableFuture<Void> input = CompletableFuture.runAsync(() -> writeInput(kafka.bootstrapServers()));
      int kills = 0;
      for (String failpoint : FAILPOINTS) {
        ChildJvm child = start(kafka, checkpoints, "--checkpointFailpoint=" + failpoint);
        assertTrue(child.awaitLine("FAILPOINT", 120), "never reached " + failpoint + ":\n" + child.output());
        child.kill();
        kills++;
      }
      for (int i = 0; i < KILLS; i++) {
        ChildJvm child = start(kafka, checkpoints);
        assertTrue(child.awaitLine("RUNNING", 60), "the child did not start:\n" + child.output());
        Thread.sleep(200 + random.nextInt(2500));
        if (child.kill()) {
          kills++;
        }
      }
      input.get();
      ChildJvm last = start(kafka, checkpoints);
      Map<String, Integer> seen = readUntil(kafka.bootstrapServers(), RECORDS, last);
      last.kill();
      assertTrue(kills >= KILLS + FAILPOINTS.size(), "only " + kills + " kills landed");
      Map<String, Integer> expected = new TreeMap<>();
      for (int k = 0; k < KEYS; k++) {
        for (int n = 1; n <= RECORDS / KEYS; n++) {
          expected.put("k" + k + ":" + n, 1);
        }
      }
      Map<String, Integer> wrong = new TreeMap<>();
      expected.forEach((value, once) -> {
        int times = seen.getOrDefault(value, 0);
        if (times != 1) {
          wrong.put(value, times);
        }
      });
      seen.forEach((value, times) -> {
        if (!expected.containsKey(value)) {
          wrong.put(value, times);
        }
      });
      assertThat("results seen other than exactly once (value -> times)", wrong, anEmptyMap());
      assertThat(seen.size(), equalTo(RECORDS));
    }
  }

  private static ChildJvm start(InProcessKafka kafka, String checkpoints, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(kafka.bootstrapServers(), checkpoints));
    args.addAll(List.of(extra));
    return ChildJvm.start(KafkaExactlyOncePipeline.class, args);
  }

  /** RECORDS records, key k(i mod KEYS), spread over some 5 seconds per start of the child. */
  private static void writeInput(String servers) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(Map.of("bootstrap.servers", servers), new StringSerializer(), new StringSerializer())) {
      int perStep = Math.max(1, RECORDS / (50 * (FAILPOINTS.size() + KILLS)));
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>("input", "k" + (i % KEYS), Integer.toString(i)));
        if (i % perStep == 0) {
          producer.flush();
          Thread.sleep(100);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads the output with read_committed until {@code count} values arrived and then a few more
   * seconds (to catch any duplicate written late); each value with the times it was seen.
   */
  private static Map<String, Integer> readUntil(String servers, int count, ChildJvm child) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier");
    Map<String, Integer> seen = new HashMap<>();
    int total = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    long settleUntil = Long.MAX_VALUE;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("output"));
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          seen.merge(record.value(), 1, Integer::sum);
          total++;
        }
        if (total >= count && settleUntil == Long.MAX_VALUE) {
          settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        }
      }
    }
    assertTrue(total >= count, total + " of " + count + " results arrived; the child:\n" + child.output());
    return seen;
  }
}
