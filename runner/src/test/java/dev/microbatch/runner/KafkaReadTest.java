package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.fail;

import dev.microbatch.testing.InProcessKafka;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Beam's KafkaIO, unmodified, reading a real broker on the runner: through its splittable DoFn
 * (what KafkaIO uses with {@code use_sdf_read}, and always for a read that stops at a time) and
 * through its legacy unbounded source. Every record arrives exactly once. The legacy read commits
 * offsets when a batch's checkpoint marks are finalized, after the batch committed; the
 * splittable read commits them through 5-minute windows, too slow to wait for here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaReadTest {
  private static final String TOPIC = "numbers";
  private static final int RECORDS = 1000;

  // One broker for the class: it takes seconds to start.
  private InProcessKafka kafka;
  private Instant firstTimestamp;

  /** Counts the numbers it sees and adds them up. */
  static final class Tally extends DoFn<String, Void> {
    private final Counter count = Metrics.counter(KafkaReadTest.class, "count");
    private final Counter sum = Metrics.counter(KafkaReadTest.class, "sum");

    @ProcessElement
    public void process(@Element String number) {
      count.inc();
      sum.inc(Long.parseLong(number));
    }
  }

  @BeforeAll
  void startBrokerAndWriteNumbers() throws Exception {
    kafka = new InProcessKafka();
    kafka.createTopic(TOPIC, 3);
    // Record timestamps a minute in the past, one millisecond apart, so a read can stop at a time.
    firstTimestamp = Instant.now().minus(Duration.standardMinutes(1));
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(
            new ProducerRecord<>(
                TOPIC, null, firstTimestamp.getMillis() + i, "key" + i, Integer.toString(i)));
      }
    }
  }

  @AfterAll
  void stopBroker() throws Exception {
    kafka.close();
  }

  @Test
  void aReadThatStopsAtATimeRunsAsABoundedSplittableDoFnAndEnds() {
    Pipeline pipeline = pipeline();
    pipeline
        .apply(
            read()
                .withStopReadTime(firstTimestamp.plus(Duration.millis(RECORDS / 2)))
                .withoutMetadata())
        .apply(Values.create())
        .apply(ParDo.of(new Tally()));

    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(Duration.standardSeconds(120)), is(PipelineResult.State.DONE));

    // It ran as a splittable DoFn (only those report a backlog), and every restriction finished.
    assertThat(CounterTotals.backlogs(result), is(not(empty())));
    assertThat(CounterTotals.backlogs(result), everyItem(is(0L)));
    // Records stamped before the stop time: the first half.
    long half = RECORDS / 2;
    assertThat(counter(result, "count"), is(half));
    assertThat(counter(result, "sum"), is(half * (half - 1) / 2));
  }

  @Test
  void anUnboundedSplittableReadDeliversEveryRecordOnce() throws Exception {
    // The read never ends: run() would wait for it, as DirectRunner's does.
    Pipeline pipeline = pipeline("--experiments=use_sdf_read", "--blockOnRun=false");
    pipeline.apply(read().withoutMetadata()).apply(Values.create()).apply(ParDo.of(new Tally()));

    PipelineResult result = pipeline.run();
    awaitCount(result, RECORDS, () -> true);
    // Keep reading for a second (some 20 batches): a split resumed from the wrong offset would
    // deliver records again.
    long quietUntil = System.nanoTime() + java.time.Duration.ofSeconds(1).toNanos();
    awaitCount(result, RECORDS, () -> System.nanoTime() > quietUntil);
    assertThat(result.cancel(), is(PipelineResult.State.CANCELLED));

    assertThat(counter(result, "count"), is((long) RECORDS));
    assertThat(counter(result, "sum"), is((long) RECORDS * (RECORDS - 1) / 2));
  }

  @Test
  void anUnboundedLegacyReadCommitsOffsetsOfRecordsItHasCommitted() throws Exception {
    String group = "committing-group";
    Pipeline pipeline = pipeline("--experiments=use_deprecated_read", "--blockOnRun=false");
    pipeline
        .apply(
            read()
                .withConsumerConfigUpdates(
                    Map.of("auto.offset.reset", "earliest", "group.id", group))
                .commitOffsetsInFinalize()
                .withoutMetadata())
        .apply(Values.create())
        .apply(ParDo.of(new Tally()));

    PipelineResult result = pipeline.run();
    awaitCount(result, RECORDS, () -> committedOffsets(group) >= RECORDS);
    assertThat(result.cancel(), is(PipelineResult.State.CANCELLED));

    assertThat(counter(result, "count"), is((long) RECORDS));
    assertThat(counter(result, "sum"), is((long) RECORDS * (RECORDS - 1) / 2));
    assertThat(committedOffsets(group), is((long) RECORDS));
  }

  /** A condition checked while waiting. */
  interface Condition {
    boolean holds() throws Exception;
  }

  /** Waits until the committed count reaches {@code count} and {@code also} holds. */
  private static void awaitCount(PipelineResult result, long count, Condition also)
      throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
    while (counter(result, "count") < count || !also.holds()) {
      if (System.nanoTime() > deadline || result.getState() != PipelineResult.State.RUNNING) {
        fail(counter(result, "count") + " records read, state " + result.getState());
      }
      Thread.sleep(50);
    }
  }

  private KafkaIO.Read<String, String> read() {
    return KafkaIO.<String, String>read()
        .withBootstrapServers(kafka.bootstrapServers())
        .withTopic(TOPIC)
        .withKeyDeserializer(StringDeserializer.class)
        .withValueDeserializer(StringDeserializer.class)
        .withConsumerConfigUpdates(Map.of("auto.offset.reset", "earliest"));
  }

  /** The group's committed offsets summed over the topic's partitions: records acknowledged. */
  private long committedOffsets(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      long total = 0;
      for (OffsetAndMetadata offset :
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values()) {
        if (offset != null) {
          total += offset.offset();
        }
      }
      return total;
    }
  }

  private static Pipeline pipeline(String... moreArgs) {
    String[] args = {"--runner=MicroBatchRunner", "--parallelism=3", "--batchIntervalMillis=50"};
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs(SplittableBacklogTest.concat(args, moreArgs)).create());
  }

  private static long counter(PipelineResult result, String name) {
    return CounterTotals.committed(result, KafkaReadTest.class, name);
  }
}
