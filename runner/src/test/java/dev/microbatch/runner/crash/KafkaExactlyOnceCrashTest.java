package dev.microbatch.runner.crash;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microbatch.runner.InProcessKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * JVM against a real broker in this JVM while the input grows; the test kills the child at every
 * failpoint of the commit protocol and at random moments, restarting it each time on the same
 * checkpoint directory, then lets a last start run until the output is complete. Read with {@code
 * read_committed}, the output must hold {@code key:1} to {@code key:n} for each key with n records,
 * each exactly once, and nothing else. With the checkpoints on local disk and on HDFS; KafkaIO
 * reads through its unbounded source (its splittable read is not covered here: on this runner it
 * opens new consumers at every resume, too slow for this test's pace).
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
          "after-manifest:6",
          "sink-after-commit:5");

  @TempDir Path temp;
  // Every child of the running test, whose output a failure keeps in target/kafka-crash-test.
  private final List<ChildJvm> started = new ArrayList<>();

  @Test
  void killedAgainAndAgainWithCheckpointsOnLocalDiskWritesEveryResultOnce() throws Exception {
    runKilledAndCheck(temp.resolve("checkpoints").toUri().toString(), new Random(7));
  }

  @Test
  void killedAgainAndAgainWithCheckpointsOnHdfsWritesEveryResultOnce() throws Exception {
    try (LoopbackMiniDfs hdfs = new LoopbackMiniDfs(temp.resolve("minidfs"))) {
      runKilledAndCheck(
          hdfs.uri("/kafka-crash-test/checkpoints"), new Random(13), "--experiments=use_deprecated_read");
    }
  }

  private void runKilledAndCheck(String checkpoints, Random random, String... options) throws Exception {
    try {
      runKilledAndCheckOnce(checkpoints, random, options);
    } catch (AssertionError e) {
      for (int i = 0; i < started.size(); i++) {
        saveOutput(started.get(i), "child-" + i);
      }
      throw e;
    } finally {
      started.clear();
    }
  }

  private void runKilledAndCheckOnce(String checkpoints, Random random, String... options) throws Exception {
    try (InProcessKafka kafka = new InProcessKafka()) {
      kafka.createTopic("input", 3);
      kafka.createTopic("output", 2);
      // The input keeps arriving while the child is killed, so kills land mid-stream.
      CompletableFuture<Void> input = CompletableFuture.runAsync(() -> writeInput(kafka.bootstrapServers()));
      int kills = 0;
      for (String failpoint : FAILPOINTS) {
        ChildJvm child = start(kafka, checkpoints, options, "--checkpointFailpoint=" + failpoint);
        started.add(child);
        assertTrue(child.awaitLine("FAILPOINT", 120), "never reached " + failpoint + ":\n" + child.output());
        child.kill();
        kills++;
      }
      for (int i = 0; i < KILLS; i++) {
        ChildJvm child = start(kafka, checkpoints, options);
        started.add(child);
        assertTrue(child.awaitLine("RUNNING", 60), "the child did not start:\n" + child.output());
        Thread.sleep(200 + random.nextInt(2500));
        if (child.kill()) {
          kills++;
        }
      }
      input.get();
      ChildJvm last = start(kafka, checkpoints, options);
      started.add(last);
      Map<String, Integer> runningCounts = readUntil(kafka.bootstrapServers(), "output", RECORDS, last);
      last.kill();
      assertTrue(kills >= KILLS + FAILPOINTS.size(), "only " + kills + " kills landed");

      Set<String> expected = new TreeSet<>();
      for (int k = 0; k < KEYS; k++) {
        for (int n = 1; n <= RECORDS / KEYS; n++) {
          expected.add("k" + k + ":" + n);
        }
      }
      assertThat("results not seen exactly once (value -> times)", notOnce(runningCounts, expected), anEmptyMap());
    }
  }

  private static ChildJvm start(InProcessKafka kafka, String checkpoints, String[] options, String... extra)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(kafka.bootstrapServers(), checkpoints));
    args.addAll(List.of(options));
    args.addAll(List.of(extra));
    return ChildJvm.start(KafkaExactlyOncePipeline.class, args);
  }

  /** Every expected value not seen exactly once, and every value seen that is not expected. */
  private static Map<String, Integer> notOnce(Map<String, Integer> seen, Set<String> expected) {
    Map<String, Integer> wrong = new TreeMap<>();
    for (String value : expected) {
      int times = seen.getOrDefault(value, 0);
      if (times != 1) {
        wrong.put(value, times);
      }
    }
    seen.forEach(
        (value, times) -> {
          if (!expected.contains(value)) {
            wrong.put(value, times);
          }
        });
    return wrong;
  }

  /** Keeps a failed run's child output in target/, where a CI log can point to it. */
  private static void saveOutput(ChildJvm child, String name) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "kafka-crash-test"));
      Files.writeString(dir.resolve(name + ".log"), child.fullOutput());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** RECORDS records (key k(i mod KEYS)), spread over some 6 seconds per start of the child. */
  private static void writeInput(String servers) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(Map.of("bootstrap.servers", servers), new StringSerializer(), new StringSerializer())) {
      int perStep = Math.max(1, RECORDS / (60 * (FAILPOINTS.size() + KILLS)));
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
   * Reads {@code topic} with read_committed until {@code count} values arrived and then three more
   * seconds (a duplicate written late would show); each value with the times it was seen.
   */
  private static Map<String, Integer> readUntil(String servers, String topic, int count, ChildJvm child) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + topic);
    Map<String, Integer> seen = new HashMap<>();
    int total = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    long settleUntil = Long.MAX_VALUE;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
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
    assertTrue(total >= count, total + " of " + count + " results in " + topic + "; seen " + new TreeMap<>(seen).keySet());
    return seen;
  }
}
