package dev.microbatch.runner.crash;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microbatch.runner.FinalFiles;
import dev.microbatch.testing.InProcessKafka;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka in, Kafka and files out, exactly once under SIGKILL: {@link KafkaExactlyOncePipeline} runs
 * in a child JVM against a real broker in this JVM while the input grows; the test kills the child
 * at every failpoint of the commit protocol and at random moments, restarting it each time on the
 * same checkpoint directory, then lets a last start run until the output is complete. Read with
 * {@code read_committed}, the running counts must hold {@code key:1} to {@code key:n} for each key
 * with n records, each exactly once, and nothing else; the window counts, in Kafka and in the final
 * files, must add up per key and window to the input's records, panes numbered without gaps or
 * repeats. Checkpoints on local disk with KafkaIO's splittable read, and on HDFS with its legacy
 * unbounded-source read.
 */
class KafkaExactlyOnceCrashTest {
  private static final int KILLS = Integer.getInteger("crash.kills", 20);
  private static final int KEYS = 10;
  private static final int INPUT_PARTITIONS = 3;
  private static final int RECORDS = Math.max(6_000, 300 * KILLS);
  // A batch has run, not committed; committed, no checkpoint covers it; data files written, no
  // manifest; a manifest published, old ones deleted, their data not yet; the manifest written (the
  // checkpoint durable), its batches' transactions not begun; a transaction holds a batch's
  // records, not committed; committed, and no checkpoint has recorded that yet.
  private static final List<String> FAILPOINTS =
      List.of(
          // Early: the second manifest, the second transaction (an earlier variant of this test
          // that lost results started with these two).
          "after-manifest:2",
          "sink-after-commit:2",
          "mid-batch:4",
          "after-commit:3",
          "before-manifest:2",
          "during-cleanup:5",
          "after-manifest:3",
          "sink-before-commit:2",
          "sink-after-commit:3",
          "after-manifest:6",
          "sink-after-commit:5");
  // The failpoint children, the randomly killed ones and the last one, which runs to the end.
  private static final int CHILDREN = FAILPOINTS.size() + KILLS + 1;

  @TempDir Path temp;
  // Every child of the running test, whose output a failure keeps in target/kafka-crash-test.
  private final List<ChildJvm> started = new ArrayList<>();

  @Test
  void killedAgainAndAgainWithCheckpointsOnLocalDiskWritesEveryResultOnce() throws Exception {
    runKilledAndCheck(temp.resolve("checkpoints").toUri().toString(), new Random(7), "--experiments=use_sdf_read");
  }

  @Test
  void killedAgainAndAgainWithCheckpointsOnHdfsWritesEveryResultOnce() throws Exception {
    try (LoopbackMiniDfs hdfs = new LoopbackMiniDfs(temp.resolve("minidfs"))) {
      runKilledAndCheck(
          hdfs.uri("/kafka-crash-test/checkpoints"), new Random(13), "--experiments=use_deprecated_read");
    }
  }

  /**
   * The marker variant (opt-in, {@code -Dcrash.markers=true}): the user's own timestamp policy
   * ({@link MaxSeenTimestampPolicy}) and a record per input partition stamped at the end of time
   * after the input, which ends the pipeline by itself. An earlier, uncommitted test of this shape
   * lost results; kept to find out why.
   */
  @Test
  @EnabledIfSystemProperty(named = "crash.markers", matches = "true")
  void theMarkerVariantWithTheLegacyReadOnLocalDiskWritesEveryResultOnce() throws Exception {
    runMarkerVariant(new Random(11), "--experiments=use_deprecated_read");
  }

  @Test
  @EnabledIfSystemProperty(named = "crash.markers", matches = "true")
  void theMarkerVariantWithTheSplittableReadOnLocalDiskWritesEveryResultOnce() throws Exception {
    runMarkerVariant(new Random(17), "--experiments=use_sdf_read");
  }

  private void runMarkerVariant(Random random, String read) throws Exception {
    runKilledAndCheck(
        temp.resolve("checkpoints").toUri().toString(), random, read, KafkaExactlyOncePipeline.MARKERS_OPTION);
  }

  private static boolean withMarkers(String[] options) {
    return List.of(options).contains(KafkaExactlyOncePipeline.MARKERS_OPTION);
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
    Path files = Files.createDirectories(temp.resolve("window-count-files"));
    String filePrefix = files.resolve("counts").toString();
    boolean markers = withMarkers(options);
    try (InProcessKafka kafka = new InProcessKafka()) {
      kafka.createTopic("input", INPUT_PARTITIONS);
      kafka.createTopic("running-counts", 2);
      kafka.createTopic("window-counts", 2);
      // The input keeps arriving while the child is killed, so kills land mid-stream.
      Semaphore starts = new Semaphore(0);
      AtomicBoolean written = new AtomicBoolean();
      Thread writer =
          new Thread(() -> written.set(writeInput(kafka.bootstrapServers(), starts, markers)), "input-writer");
      writer.start();
      try {
        runChildrenAndCheck(kafka, checkpoints, filePrefix, files, random, options, starts, writer, written);
      } finally {
        // A failed child leaves the writer waiting for its next chunk: stop it before the broker.
        writer.interrupt();
        writer.join(30_000);
      }
    }
  }

  /** The failpoint children, the randomly killed ones and the last one; then the output checked. */
  private void runChildrenAndCheck(
      InProcessKafka kafka,
      String checkpoints,
      String filePrefix,
      Path files,
      Random random,
      String[] options,
      Semaphore starts,
      Thread writer,
      AtomicBoolean written)
      throws Exception {
    int kills = 0;
    for (String failpoint : FAILPOINTS) {
      ChildJvm child = start(kafka, checkpoints, filePrefix, options, "--checkpointFailpoint=" + failpoint);
      started.add(child);
      assertTrue(child.awaitLine("RUNNING", 60), "the child did not start:\n" + child.output());
      starts.release();
      assertTrue(child.awaitLine("FAILPOINT", 120), "never reached " + failpoint + ":\n" + child.output());
      child.kill();
      kills++;
    }
    for (int i = 0; i < KILLS; i++) {
      ChildJvm child = start(kafka, checkpoints, filePrefix, options);
      started.add(child);
      assertTrue(child.awaitLine("RUNNING", 60), "the child did not start:\n" + child.output());
      starts.release();
      Thread.sleep(200 + random.nextInt(2500));
      if (child.kill()) {
        kills++;
      }
    }
    ChildJvm last = start(kafka, checkpoints, filePrefix, options);
    started.add(last);
    starts.release();
    writer.join();
    assertTrue(written.get(), "the input writer did not write all input");
    String servers = kafka.bootstrapServers();
    List<String> runningCounts = readUntil(servers, "running-counts", lines -> lines.size() >= RECORDS);
    WindowCountCheck windows =
        new WindowCountCheck(inputTimestamps(servers), KafkaExactlyOncePipeline.WINDOW.getMillis());
    List<String> windowCounts =
        readUntil(servers, "window-counts", lines -> WindowCountCheck.sumOf(lines) >= windows.total());
    List<String> fileLines = readFilesUntil(files, lines -> WindowCountCheck.sumOf(lines) >= windows.total());
    if (withMarkers(options)) {
      // The markers took every partition's watermark to the end of time: the run ends by itself.
      assertTrue(last.awaitExit(60), "the last child did not end after the markers:\n" + last.output());
      assertThat("exit status of the last child:\n" + last.output(), last.exitValue(), is(0));
    }
    last.kill();
    assertTrue(kills >= KILLS + FAILPOINTS.size(), "only " + kills + " kills landed");

    Set<String> expected = new TreeSet<>();
    for (int k = 0; k < KEYS; k++) {
      for (int n = 1; n <= RECORDS / KEYS; n++) {
        expected.add("k" + k + ":" + n);
      }
    }
    assertThat("running counts not seen exactly once (value -> times)", notOnce(runningCounts, expected), anEmptyMap());
    assertExact("window counts in Kafka", windows.problems(windowCounts));
    assertExact("window counts in files", windows.problems(fileLines));
  }

  private static ChildJvm start(
      InProcessKafka kafka, String checkpoints, String filePrefix, String[] options, String... extra)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(kafka.bootstrapServers(), checkpoints, filePrefix));
    args.addAll(List.of(options));
    args.addAll(List.of(extra));
    return ChildJvm.start(KafkaExactlyOncePipeline.class, args);
  }

  private static void assertExact(String what, Map<String, String> problems) {
    assertTrue(
        problems.isEmpty(),
        what + ": " + problems.size() + " windows wrong, the first: "
            + problems.entrySet().stream().limit(20).toList());
  }

  /** Every expected value not seen exactly once, and every value seen that is not expected. */
  private static Map<String, Integer> notOnce(List<String> values, Set<String> expected) {
    Map<String, Integer> seen = new HashMap<>();
    values.forEach(value -> seen.merge(value, 1, Integer::sum));
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

  /**
   * RECORDS records (key k(i mod KEYS)) in one chunk per child, each chunk spread over some 6
   * seconds once a running child released it ({@code starts}). Paced by the children, not by the
   * clock, so every child, the last failpoint's too, gets input to work on, however long the
   * children before it took to start.
   */
  private static boolean writeInput(String servers, Semaphore starts, boolean markers) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(Map.of("bootstrap.servers", servers), new StringSerializer(), new StringSerializer())) {
      boolean all = writeChunks(producer, starts);
      if (all && markers) {
        producer.flush();
        for (int partition = 0; partition < INPUT_PARTITIONS; partition++) {
          producer.send(
              new ProducerRecord<>(
                  "input", partition, BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis(),
                  KafkaExactlyOncePipeline.MARKER_KEY, "end"));
        }
        producer.flush();
      }
      return all;
    }
  }

  /** Writes the chunks; false if interrupted first (the test failed), without waiting for sends. */
  private static boolean writeChunks(KafkaProducer<String, String> producer, Semaphore starts) {
    try {
      int chunks = CHILDREN;
      int perChunk = RECORDS / chunks;
      int perStep = Math.max(1, perChunk / 60);
      for (int i = 0; i < RECORDS; i++) {
        if (i % perChunk == 0 && i / perChunk < chunks) {
          starts.acquire();
        }
        producer.send(new ProducerRecord<>("input", "k" + (i % KEYS), Integer.toString(i)));
        if (i % perStep == 0) {
          producer.flush();
          Thread.sleep(100);
        }
      }
      return true;
    } catch (InterruptedException e) {
      producer.close(Duration.ZERO);
      return false;
    }
  }

  /**
   * Reads {@code topic} with read_committed until what arrived is {@code complete}, and then three
   * more seconds (a duplicate written late would show); every value in the order read.
   */
  private static List<String> readUntil(String servers, String topic, Predicate<List<String>> complete) {
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = committedReader(servers, "verifier-" + topic)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
      long settleUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(record.value());
        }
        if (settleUntil == Long.MAX_VALUE && complete.test(seen)) {
          settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        }
      }
    }
    assertTrue(complete.test(seen), "incomplete " + topic + ": " + seen.size() + " values " + new TreeSet<>(seen));
    return seen;
  }

  /** Every input record's event time (its create time), by key. */
  private static Map<String, List<Long>> inputTimestamps(String servers) {
    Map<String, List<Long>> times = new TreeMap<>();
    int read = 0;
    try (KafkaConsumer<String, String> consumer = committedReader(servers, "verifier-input")) {
      consumer.subscribe(List.of("input"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (read < RECORDS && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (!KafkaExactlyOncePipeline.MARKER_KEY.equals(record.key())) {
            times.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.timestamp());
            read++;
          }
        }
      }
    }
    assertTrue(read == RECORDS, read + " of " + RECORDS + " input records read back");
    return times;
  }

  private static KafkaConsumer<String, String> committedReader(String servers, String group) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /**
   * The lines of the final files under {@code dir} (not the hidden temporary ones) once they are
   * {@code complete}, and after three more seconds; fails after 240 seconds.
   */
  private static List<String> readFilesUntil(Path dir, Predicate<List<String>> complete) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    List<String> lines = FinalFiles.lines(dir);
    while (!complete.test(lines) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      lines = FinalFiles.lines(dir);
    }
    Thread.sleep(3000);
    lines = FinalFiles.lines(dir);
    assertTrue(complete.test(lines), "incomplete files in " + dir + ": " + lines.size() + " lines");
    return lines;
  }
}
