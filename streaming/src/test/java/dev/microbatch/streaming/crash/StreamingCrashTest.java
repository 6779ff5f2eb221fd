package dev.microbatch.streaming.crash;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.microbatch.testing.InProcessKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming API survives SIGKILL: a child JVM ({@link CrashChild}) killed at random moments
 * and restarted on its checkpoint writes, batch by batch, exactly what an uninterrupted run writes
 * (every stateful operation); a socket source loses nothing it received before its batch ran; a
 * file source reads every file once; a Kafka direct stream counts every record once. Kills: {@code -Dstreaming.crash.kills} (4 by default).
 */
class StreamingCrashTest {
  private static final int KILLS = Integer.getInteger("streaming.crash.kills", 4);
  private static final long INTERVAL = 100;

  private static List<String> args(String mode, Path checkpoint, Path out, long interval, long stopAfter, String extra) {
    return extra == null
        ? List.of(mode, checkpoint.toString(), out.toString(), String.valueOf(interval), String.valueOf(stopAfter))
        : List.of(mode, checkpoint.toString(), out.toString(), String.valueOf(interval), String.valueOf(stopAfter), extra);
  }

  /** Runs a child to its end; fails the test if it does not exit 0. */
  private static void runToEnd(List<String> args) throws Exception {
    ChildProcess child = ChildProcess.start(List.of(), args);
    int exit = child.awaitExit(180);
    if (exit != 0) {
      child.kill();
      throw new AssertionError("The child ended with " + exit + ":\n" + child.output());
    }
  }

  /** Every output file below {@code out}, by relative path, for batches up to {@code lastBatch}. */
  private static Map<String, List<String>> outputs(Path out, long lastBatch) throws IOException {
    Map<String, List<String>> all = new TreeMap<>();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (!name.startsWith(".") && Long.parseLong(name) <= lastBatch) {
          all.put(out.relativize(file).toString(), Files.readAllLines(file));
        }
      }
    }
    return all;
  }

  @Test
  void everyStatefulOperationWritesWhatAnUninterruptedRunWrites(@TempDir Path dir) throws Exception {
    long stopAfter = CrashChild.QUEUE_BATCHES + 6;
    Path reference = dir.resolve("reference");
    runToEnd(args("queue", dir.resolve("reference-checkpoint"), reference, INTERVAL, stopAfter, null));

    Path crashed = dir.resolve("crashed");
    List<String> crashArgs = args("queue", dir.resolve("checkpoint"), crashed, INTERVAL, stopAfter, null);
    Random random = new Random(Long.getLong("streaming.crash.seed", System.nanoTime()));
    for (int kill = 0; kill < KILLS; kill++) {
      ChildProcess child = ChildProcess.start(List.of(), crashArgs);
      child.awaitOutput("STARTED", 60);
      // Somewhere in the run: during a batch, between batches, while checkpointing.
      Thread.sleep(random.nextInt((int) (INTERVAL * 15)));
      child.kill();
    }
    runToEnd(crashArgs);

    Map<String, List<String>> expected = outputs(reference, stopAfter);
    assertThat(expected.keySet().size() > 100, equalTo(true));
    assertThat(outputs(crashed, stopAfter), equalTo(expected));
  }

  @Test
  void linesReceivedBeforeTheirBatchSurviveAKill(@TempDir Path dir) throws Exception {
    Map<String, Integer> expected = new TreeMap<>();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(server.getLocalPort());
      // An interval of an hour: no batch runs before the kill.
      ChildProcess child =
          ChildProcess.start(
              List.of("-DreceiverInputLevel=DEBUG"),
              args("socket", dir.resolve("checkpoint"), dir.resolve("unused"), 3_600_000, 1, port));
      try (Socket client = server.accept()) {
        OutputStream out = client.getOutputStream();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 500; i++) {
          String word = "s" + (i % 37);
          expected.merge(word, 1, Integer::sum);
          text.append(word).append('\n');
        }
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(child.output(), child.awaitOutput("500 in all)", 60), equalTo(true));
        child.kill();
      }
    }
    // Nothing listens any more: the restarted child has only its write-ahead log.
    Path out = dir.resolve("out");
    runToEnd(args("socket", dir.resolve("checkpoint"), out, INTERVAL, 3, "1"));
    assertThat(finalState(out.resolve("updateStateByKey")), equalTo(expected));
  }

  @Test
  void everyFileIsCountedOnceAcrossKills(@TempDir Path dir) throws Exception {
    Path input = Files.createDirectory(dir.resolve("in"));
    Map<String, Integer> expected = new TreeMap<>();
    for (int f = 0; f < 40; f++) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 25; i++) {
        String word = "f" + ((f * 7 + i) % 23);
        expected.merge(word, 1, Integer::sum);
        text.append(word).append('\n');
      }
      Files.writeString(input.resolve("part-" + f + ".txt"), text);
    }
    Path out = dir.resolve("out");
    List<String> childArgs = args("files", dir.resolve("checkpoint"), out, INTERVAL, 12, input.toString());
    Random random = new Random(Long.getLong("streaming.crash.seed", System.nanoTime()));
    for (int kill = 0; kill < KILLS; kill++) {
      ChildProcess child = ChildProcess.start(List.of(), childArgs);
      child.awaitOutput("STARTED", 60);
      Thread.sleep(random.nextInt((int) (INTERVAL * 6)));
      child.kill();
    }
    runToEnd(childArgs);
    assertThat(finalState(out.resolve("updateStateByKey")), equalTo(expected));
  }

  @Test
  void everyKafkaRecordIsCountedOnceAcrossKills(@TempDir Path dir) throws Exception {
    Map<String, Integer> expected = new TreeMap<>();
    try (InProcessKafka kafka = new InProcessKafka()) {
      kafka.createTopic(CrashChild.KAFKA_TOPIC, 3);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 3_000; i++) {
          String word = "r" + (i % 41);
          expected.merge(word, 1, Integer::sum);
          producer.send(new ProducerRecord<>(CrashChild.KAFKA_TOPIC, Integer.toString(i), word));
        }
      }
      Path out = dir.resolve("out");
      // 3,000 records at 40 per partition and batch: about 25 batches to read them all.
      List<String> childArgs = args("kafka", dir.resolve("checkpoint"), out, INTERVAL, 30, kafka.bootstrapServers());
      Random random = new Random(Long.getLong("streaming.crash.seed", System.nanoTime()));
      for (int kill = 0; kill < KILLS; kill++) {
        ChildProcess child = ChildProcess.start(List.of(), childArgs);
        child.awaitOutput("STARTED", 60);
        Thread.sleep(random.nextInt((int) (INTERVAL * 8)));
        child.kill();
      }
      runToEnd(childArgs);
      assertThat(finalState(out.resolve("updateStateByKey")), equalTo(expected));
    }
  }

  /** The updateStateByKey output of the newest batch: each line "(word,count)". */
  private static Map<String, Integer> finalState(Path dir) throws IOException {
    long newest;
    try (Stream<Path> files = Files.list(dir)) {
      newest =
          files.map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("."))
              .mapToLong(Long::parseLong)
              .max()
              .orElseThrow();
    }
    Map<String, Integer> state = new TreeMap<>();
    for (String line : Files.readAllLines(dir.resolve(String.valueOf(newest)))) {
      String[] parts = line.substring(1, line.length() - 1).split(",");
      state.put(parts[0], Integer.parseInt(parts[1]));
    }
    return state;
  }
}
