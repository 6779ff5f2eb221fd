package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.checkpoint.Failpoint;
import dev.microbatch.io.kafka.ExactlyOnceKafkaSink;
import dev.microbatch.io.kafka.SinkShards;
import dev.microbatch.testing.InProcessKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once Kafka sink against a real broker, in this JVM: a finished run's records are all
 * committed (a graceful end drains the sink), a second run on the same checkpoint writes nothing
 * again, and misconfigurations fail before anything is read, naming what is wrong. Crashes are
 * {@code crash.KafkaExactlyOnceCrashTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactlyOnceKafkaSinkTest {
  private InProcessKafka kafka;
  @TempDir Path temp;

  @BeforeAll
  void startBroker() throws Exception {
    kafka = new InProcessKafka();
  }

  @AfterAll
  void stopBroker() throws Exception {
    kafka.close();
  }

  @Test
  void aFinishedRunHasCommittedEveryRecordOnceAndARestartWritesNoneAgain() throws Exception {
    kafka.createTopic("numbers-out", 2);
    Path checkpoints = temp.resolve("checkpoints");
    for (int run = 1; run <= 2; run++) {
      Pipeline pipeline = numbersToSink(checkpoints, 1000, "numbers-out", "numbers-sink");
      assertThat(pipeline.run().waitUntilFinish(), is(PipelineResult.State.DONE));
      Map<String, Integer> seen = readCommitted("numbers-out");
      Map<String, Integer> expected = new TreeMap<>();
      for (int i = 0; i < 1000; i++) {
        expected.put(Integer.toString(i), 1);
      }
      assertThat("after run " + run, new TreeMap<>(seen), equalTo(expected));
    }
  }

  @Test
  void withoutACheckpointDirectoryTheRunFailsBeforeReading() {
    Pipeline pipeline = pipeline();
    numbers(pipeline, 10).apply(sink("unused", "no-checkpoints"));
    RuntimeException e = assertThrows(RuntimeException.class, pipeline::run);
    assertThat(messages(e), containsString("--checkpointDir"));
  }

  @Test
  void aSinkIdWhoseGroupHoldsOtherOffsetsFailsBeforeReading() throws Exception {
    kafka.createTopic("someone-elses", 1);
    kafka.createTopic("taken-out", 2);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.alterConsumerGroupOffsets(
          "taken", Map.of(new TopicPartition("someone-elses", 0), new OffsetAndMetadata(5))).all().get();
    }
    Pipeline pipeline = numbersToSink(temp.resolve("taken"), 10, "taken-out", "taken");
    RuntimeException e = assertThrows(RuntimeException.class, pipeline::run);
    assertThat(messages(e), containsString("consumer group 'taken'"));
    assertThat(messages(e), containsString("someone-elses-0"));
  }

  @Test
  void aTopicWithFewerPartitionsThanShardsFailsBeforeReading() throws Exception {
    kafka.createTopic("narrow-out", 1);
    Pipeline pipeline = numbersToSink(temp.resolve("narrow"), 10, "narrow-out", "narrow");
    RuntimeException e = assertThrows(RuntimeException.class, pipeline::run);
    assertThat(messages(e), containsString("topic narrow-out has 1 partitions"));
  }

  @Test
  void aSinkIdWrittenByAnotherPipelineFailsBeforeReading() throws Exception {
    kafka.createTopic("shared-out", 2);
    Path first = temp.resolve("first");
    Pipeline writer = numbersToSink(first, 100, "shared-out", "shared");
    assertThat(writer.run().waitUntilFinish(), is(PipelineResult.State.DONE));

    Pipeline second = numbersToSink(temp.resolve("second"), 100, "shared-out", "shared");
    RuntimeException e = assertThrows(RuntimeException.class, second::run);
    assertThat(messages(e), containsString("sink id 'shared' is taken"));
    assertThat(messages(e), containsString(first.toString()));
    assertThat("only the first pipeline's records", readCommitted("shared-out").size(), is(100));
  }

  /**
   * Two pipelines that open one sink id before either has written a batch: no mark tells them
   * apart yet, so the claims decide, and only the first goes on. Its restart may open it again.
   */
  @Test
  void ofTwoPipelinesOpeningOneSinkIdBeforeEitherWroteOnlyTheFirstGoesOn() throws Exception {
    kafka.createTopic("race-out", 2);
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    String claims = "race-claims";
    try (SinkShards first = SinkShards.open("race-out", "race", 2, config, claims, "file:/jobs/first", Failpoint.NONE)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> SinkShards.open("race-out", "race", 2, config, claims, "file:/jobs/second", Failpoint.NONE));
      assertThat(e.getMessage(), containsString("belongs to the pipeline checkpointing to file:/jobs/first"));
      assertThat(e.getMessage(), containsString("this pipeline checkpoints to file:/jobs/second"));
    }
    try (SinkShards restarted =
        SinkShards.open("race-out", "race", 2, config, claims, "file:/jobs/first", Failpoint.NONE)) {
      assertThat(restarted.committedThrough(0), is(-1L));
    }
  }

  /**
   * A pipeline that the marks refuse (here under a claims topic that lost the owner's claims) leaves
   * no claim behind: the owner, restarted on that claims topic, still goes on.
   */
  @Test
  void aPipelineTheMarksRefuseLeavesNoClaim() throws Exception {
    kafka.createTopic("marked-out", 2);
    Path owner = temp.resolve("owner");
    assertThat(numbersToSink(owner, 50, "marked-out", "marked").run().waitUntilFinish(), is(PipelineResult.State.DONE));

    Pipeline intruder =
        numbersToSink(temp.resolve("intruder"), 50, sink("marked-out", "marked").withClaimsTopic("fresh-claims"));
    RuntimeException e = assertThrows(RuntimeException.class, intruder::run);
    assertThat(messages(e), containsString("sink id 'marked' is taken"));

    Pipeline restarted = numbersToSink(owner, 50, sink("marked-out", "marked").withClaimsTopic("fresh-claims"));
    assertThat(restarted.run().waitUntilFinish(), is(PipelineResult.State.DONE));
  }

  /** A claims topic that could lose or reorder claims is refused, naming what is wrong. */
  @Test
  void aClaimsTopicThatDeletesOldClaimsFailsBeforeReading() throws Exception {
    kafka.createTopic("loose-claims", 1);
    kafka.createTopic("loose-out", 2);
    Pipeline pipeline =
        numbersToSink(temp.resolve("loose"), 10, sink("loose-out", "loose").withClaimsTopic("loose-claims"));
    RuntimeException e = assertThrows(RuntimeException.class, pipeline::run);
    assertThat(messages(e), containsString("The claims topic loose-claims"));
    assertThat(messages(e), containsString("retention.ms="));
  }

  @Test
  void aRunResumingBehindWhatKafkaHoldsFailsBeforeWriting() throws Exception {
    kafka.createTopic("ahead-out", 2);
    Path checkpoints = temp.resolve("ahead");
    Pipeline first = numbersToSink(checkpoints, 100, "ahead-out", "ahead");
    assertThat(first.run().waitUntilFinish(), is(PipelineResult.State.DONE));
    // The checkpoints are lost; the same directory starts empty, from batch 1 again.
    deleteRecursively(checkpoints);

    Pipeline again = numbersToSink(checkpoints, 100, "ahead-out", "ahead");
    RuntimeException e = assertThrows(RuntimeException.class, () -> again.run().waitUntilFinish());
    assertThat(messages(e), containsString("this run resumed from a checkpoint that never held it"));
    assertThat("nothing written again", readCommitted("ahead-out").size(), is(100));
  }

  @Test
  void aBrokerWithoutTransactionsFailsBeforeReading() throws Exception {
    // One broker cannot host a transaction log with two replicas: no transaction can start.
    try (InProcessKafka noTransactions =
        new InProcessKafka(Map.of("transaction.state.log.replication.factor", "2"))) {
      noTransactions.createTopic("plain-out", 2);
      Pipeline pipeline = pipeline("--checkpointDir=" + temp.resolve("plain").toUri());
      numbers(pipeline, 10)
          .apply(
              ExactlyOnceKafkaSink.<String, String>to("plain-out")
                  .withBootstrapServers(noTransactions.bootstrapServers())
                  .withSinkId("plain")
                  .withProducerConfig(Map.of("max.block.ms", 3000))
                  .withKeySerializer(StringSerializer.class)
                  .withValueSerializer(StringSerializer.class));
      RuntimeException e = assertThrows(RuntimeException.class, pipeline::run);
      assertThat(messages(e), containsString("the brokers must support transactions"));
      assertThat(messages(e), containsString("transaction.state.log.replication.factor"));
    }
  }

  /** A checkpointed pipeline writing {@code count} numbers through the sink {@code sinkId}. */
  private Pipeline numbersToSink(Path checkpoints, int count, String topic, String sinkId) {
    return numbersToSink(checkpoints, count, sink(topic, sinkId));
  }

  /** A checkpointed pipeline writing {@code count} numbers through {@code sink}. */
  private static Pipeline numbersToSink(Path checkpoints, int count, ExactlyOnceKafkaSink<String, String> sink) {
    Pipeline pipeline = pipeline("--checkpointDir=" + checkpoints.toUri());
    numbers(pipeline, count).apply(sink);
    return pipeline;
  }

  private static Pipeline pipeline(String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--runner=MicroBatchRunner", "--streaming", "--parallelism=2", "--batchIntervalMillis=50"));
    args.addAll(List.of(more));
    return Pipeline.create(PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create());
  }

  private static org.apache.beam.sdk.values.PCollection<KV<String, String>> numbers(Pipeline pipeline, int count) {
    return pipeline
        .apply(GenerateSequence.from(0).to(count))
        .apply(
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via((Long i) -> KV.of("k" + (i % 7), Long.toString(i))));
  }

  private ExactlyOnceKafkaSink<String, String> sink(String topic, String sinkId) {
    return ExactlyOnceKafkaSink.<String, String>to(topic)
        .withBootstrapServers(kafka.bootstrapServers())
        .withSinkId(sinkId)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class);
  }

  /** Every value in the topic that read_committed sees, with how often. */
  private Map<String, Integer> readCommitted(String topic) {
    Map<String, Integer> seen = new HashMap<>();
    kafka.committedValues(topic, Duration.ofSeconds(30)).forEach(value -> seen.merge(value, 1, Integer::sum));
    return seen;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
