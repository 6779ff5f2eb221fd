package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.testing.InProcessKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaPublishTimestampFunction;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Beam's KafkaIO writes, unmodified, of a small {@code Create} whose outcome depends on the order
 * records reach the producer: a partitioner and a timestamp function that count what they were
 * given, and the first of several failed sends. The runner must give the outcome of one producer
 * sent the records in the {@code Create}'s order (one bundle), written here by a plain producer
 * as the reference.
 *
 * <p>DirectRunner is run too, but only what it guarantees is compared with it (the same records,
 * the same kind of error): it cuts even a 12-record {@code Create} into max(cores, 3) bundles run
 * on concurrent threads, and a thread of its own splits each bundle at its halfway point while it
 * is read (its dynamic splitting, always on), so its order varies from run to run by design.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaWriteTest {
  private static final int RECORDS = 12;
  private static final int PARTITIONS = 3;
  private static final long BASE_TIME = 1_000_000_000_000L;
  private static final String[] MICROBATCH = {"--runner=MicroBatchRunner", "--parallelism=3"};
  private static final String[] DIRECT = {"--runner=DirectRunner"};

  private InProcessKafka kafka;

  @BeforeAll
  void startBroker() throws Exception {
    kafka = new InProcessKafka();
  }

  @AfterAll
  void stopBroker() throws Exception {
    kafka.close();
  }

  /** Stamps the n-th record it is asked about with second n: the order of publishing shows. */
  static final class SendOrderTimestamps implements KafkaPublishTimestampFunction<KV<String, String>> {
    private long published;

    @Override
    public Instant getTimestamp(KV<String, String> element, Instant elementTimestamp) {
      return new Instant(BASE_TIME + 1000 * published++);
    }
  }

  @Test
  void recordsToSeveralTopicsThroughAnOrderDependentPartitionerLandAsSentInOrder()
      throws Exception {
    for (String prefix : List.of("reference", "microbatch", "direct")) {
      kafka.createTopic(prefix + "-even", PARTITIONS);
      kafka.createTopic(prefix + "-odd", PARTITIONS);
    }
    sendInOrder(
        partitionByArrival(),
        kv -> new ProducerRecord<>(topicOf("reference", kv), null, timeOf(kv), kv.getKey(), kv.getValue()));
    writeToTwoTopics("microbatch", MICROBATCH);
    writeToTwoTopics("direct", DIRECT);

    for (String parity : List.of("-even", "-odd")) {
      assertThat(contents("microbatch" + parity), is(contents("reference" + parity)));
      assertThat(
          records(contents("direct" + parity)),
          containsInAnyOrder(records(contents("reference" + parity)).toArray()));
    }
  }

  @Test
  void aTimestampFunctionAndPartitionerThatCountRecordsSeeThemInOrder() throws Exception {
    for (String prefix : List.of("reference", "microbatch", "direct")) {
      kafka.createTopic(prefix + "-stamped", PARTITIONS);
    }
    SendOrderTimestamps stamps = new SendOrderTimestamps();
    sendInOrder(
        partitionByArrival(),
        kv ->
            new ProducerRecord<>(
                "reference-stamped",
                null,
                stamps.getTimestamp(kv, null).getMillis(),
                kv.getKey(),
                kv.getValue()));
    writeStamped("microbatch-stamped", MICROBATCH);
    writeStamped("direct-stamped", DIRECT);

    assertThat(contents("microbatch-stamped"), is(contents("reference-stamped")));
    assertThat(
        keysAndValues(contents("direct-stamped")),
        containsInAnyOrder(keysAndValues(contents("reference-stamped")).toArray()));
  }

  @Test
  void theFirstOfSeveralFailedSendsIsTheErrorReported() throws Exception {
    kafka.createTopic("microbatch-failing", PARTITIONS);
    kafka.createTopic("direct-failing", PARTITIONS);

    // Record 3 is the first too large to send: its size is in the error.
    assertThat(firstSendError("microbatch-failing", MICROBATCH), containsString(TOO_LARGE_3));
    assertThat(
        firstSendError("direct-failing", DIRECT),
        anyOf(containsString(TOO_LARGE_3), containsString(TOO_LARGE_4)));
  }

  // Serialized sizes of records 3 and 4 below (value plus key plus record overhead).
  private static final String TOO_LARGE_3 = "The message is 2090 bytes";
  private static final String TOO_LARGE_4 = "The message is 3090 bytes";

  /**
   * Writes the numbered records with records 3 and 4 too large to send (of different sizes, so
   * the error tells which failed first) and returns the message of the error the run ends with.
   */
  private String firstSendError(String topic, String... args) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    numbered(pipeline)
        .apply(
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(
                    kv ->
                        switch (kv.getValue()) {
                          case "3" -> KV.of(kv.getKey(), "x".repeat(2000));
                          case "4" -> KV.of(kv.getKey(), "y".repeat(3000));
                          default -> kv;
                        }))
        .apply(
            KafkaIO.<String, String>write()
                .withBootstrapServers(kafka.bootstrapServers())
                .withTopic(topic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class)
                .withProducerConfigUpdates(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1500)));
    Throwable failure =
        assertThrows(
            Exception.class,
            () -> pipeline.run().waitUntilFinish(org.joda.time.Duration.standardSeconds(120)));
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /** Record i goes to topic prefix-even or prefix-odd as a ProducerRecord naming its topic. */
  private void writeToTwoTopics(String prefix, String... args) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    numbered(pipeline)
        .apply(
            MapElements.into(new TypeDescriptor<ProducerRecord<String, String>>() {})
                .via(
                    kv ->
                        new ProducerRecord<>(
                            topicOf(prefix, kv), null, timeOf(kv), kv.getKey(), kv.getValue())))
        .setCoder(ProducerRecordCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply(
            KafkaIO.<String, String>writeRecords()
                .withBootstrapServers(kafka.bootstrapServers())
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class)
                .withProducerConfigUpdates(partitionByArrival()));
    run(pipeline);
  }

  private void writeStamped(String topic, String... args) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    numbered(pipeline)
        .apply(
            KafkaIO.<String, String>write()
                .withBootstrapServers(kafka.bootstrapServers())
                .withTopic(topic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class)
                .withProducerConfigUpdates(partitionByArrival())
                .withPublishTimestampFunction(new SendOrderTimestamps()));
    run(pipeline);
  }

  private static List<KV<String, String>> numberedRecords() {
    List<KV<String, String>> records = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      records.add(KV.of("key" + i, Integer.toString(i)));
    }
    return records;
  }

  private static PCollection<KV<String, String>> numbered(Pipeline pipeline) {
    return pipeline.apply(Create.of(numberedRecords()));
  }

  private static String topicOf(String prefix, KV<String, String> kv) {
    return prefix + (Integer.parseInt(kv.getValue()) % 2 == 0 ? "-even" : "-odd");
  }

  /** A fixed timestamp per record, not the producer's clock, so that runs compare. */
  private static long timeOf(KV<String, String> kv) {
    return BASE_TIME + Integer.parseInt(kv.getValue());
  }

  private static Map<String, Object> partitionByArrival() {
    return Map.of(ProducerConfig.PARTITIONER_CLASS_CONFIG, ArrivalOrderPartitioner.class.getName());
  }

  /** The reference: one plain producer sent the numbered records in order. */
  private void sendInOrder(
      Map<String, Object> config,
      Function<KV<String, String>, ProducerRecord<String, String>> toRecord) {
    Map<String, Object> all = new java.util.HashMap<>(config);
    all.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(all, new StringSerializer(), new StringSerializer())) {
      for (KV<String, String> kv : numberedRecords()) {
        producer.send(toRecord.apply(kv));
      }
    }
  }

  private static void run(Pipeline pipeline) {
    PipelineResult result = pipeline.run();
    assertThat(
        result.waitUntilFinish(org.joda.time.Duration.standardSeconds(120)),
        is(PipelineResult.State.DONE));
  }

  private static List<String> records(Map<Integer, List<String>> byPartition) {
    return byPartition.values().stream().flatMap(List::stream).toList();
  }

  private static List<String> keysAndValues(Map<Integer, List<String>> byPartition) {
    return records(byPartition).stream().map(r -> r.substring(0, r.indexOf('@'))).toList();
  }

  /** Each partition's records in offset order, as "key=value@timestamp". */
  private Map<Integer, List<String>> contents(String topic) {
    Map<Integer, List<String>> byPartition = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long expected = consumer.endOffsets(partitions).values().stream().mapToLong(l -> l).sum();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int read = 0;
      while (read < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          byPartition
              .computeIfAbsent(record.partition(), p -> new ArrayList<>())
              .add(record.key() + "=" + record.value() + "@" + record.timestamp());
          read++;
        }
      }
    }
    return byPartition;
  }
}
