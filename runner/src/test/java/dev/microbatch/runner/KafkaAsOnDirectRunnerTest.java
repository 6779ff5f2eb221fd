package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.microbatch.testing.InProcessKafka;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Beam's KafkaIO against a real broker, run on Beam's DirectRunner and then on MicroBatchRunner:
 * what DirectRunner does is what the runner must do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAsOnDirectRunnerTest {
  private static final String TOPIC = "numbers";
  private static final int RECORDS = 1000;
  // Where the stop-offset read ends in each partition: each of the 3 holds far more records.
  private static final int STOP = 50;
  // The reference runner, whose outcome each test expects, and the runner under test.
  private static final String DIRECT = "DirectRunner";
  private static final String MICRO_BATCH = "MicroBatchRunner";
  // The counter KafkaIO's legacy reader increments as it enqueues an offset commit.
  private static final String COMMITS_ENQUEUED = "checkpointMarkCommitsEnqueued";

  private InProcessKafka kafka;

  @BeforeAll
  void startBrokerAndWriteNumbers() throws Exception {
    kafka = new InProcessKafka();
    kafka.createTopic(TOPIC, 3);
    kafka.writeNumbers(TOPIC, RECORDS);
  }

  @AfterAll
  void stopBroker() throws Exception {
    kafka.close();
  }

  /** Counts the records it sees and adds up their numbers. */
  static final class Tally extends DoFn<KafkaRecord<String, String>, Void> {
    private final Counter count = Metrics.counter(KafkaAsOnDirectRunnerTest.class, "count");
    private final Counter sum = Metrics.counter(KafkaAsOnDirectRunnerTest.class, "sum");

    @ProcessElement
    public void process(@Element KafkaRecord<String, String> record) {
      count.inc();
      sum.inc(Long.parseLong(record.getKV().getValue()));
    }
  }

  @Test
  void anUnboundedSplittableReadThatReachesItsStopOffsetsEndsAndRunReturns() {
    // KafkaIO's splittable DoFn is unbounded per element; each restriction here ends at offset
    // STOP of its partition, so the pipeline ends: run() blocks until then and returns.
    Map<String, Long> expected = stopOffsetReadOn(DIRECT);
    Map<String, Long> actual = stopOffsetReadOn(MICRO_BATCH);
    assertThat(expected.get("count"), is(3L * STOP));
    assertThat(actual, is(expected));
  }

  private Map<String, Long> stopOffsetReadOn(String runner) {
    List<KafkaSourceDescriptor> partitions = new ArrayList<>();
    for (int partition = 0; partition < 3; partition++) {
      partitions.add(
          KafkaSourceDescriptor.of(
              new TopicPartition(TOPIC, partition), null, null, (long) STOP, null, null));
    }
    Pipeline pipeline =
        Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=" + runner).create());
    pipeline
        .apply(Create.of(partitions))
        .apply(
            KafkaIO.<String, String>readSourceDescriptors()
                .withBootstrapServers(kafka.bootstrapServers())
                .withKeyDeserializer(StringDeserializer.class)
                .withValueDeserializer(StringDeserializer.class)
                .withConsumerConfigUpdates(Map.of("auto.offset.reset", "earliest")))
        .apply(ParDo.of(new Tally()));

    PipelineResult result =
        assertTimeoutPreemptively(java.time.Duration.ofMinutes(2), () -> pipeline.run());
    assertThat(result.getState(), is(PipelineResult.State.DONE));
    Map<String, Long> counters = new TreeMap<>();
    for (String name : List.of("count", "sum")) {
      counters.put(
          name, CounterTotals.attempted(result, KafkaAsOnDirectRunnerTest.class, name));
    }
    return counters;
  }

  @Test
  void aTopicPatternThatMatchesNoTopicFailsWithTheSourcesOwnException() throws IOException {
    assertSameFailure(
        pipeline -> pipeline.apply("readFromKafka", read().withTopicPattern("no-such-topic.*")));
  }

  @Test
  void aTopicThatDoesNotExistFailsWithTheSourcesOwnException() throws IOException {
    assertSameFailure(
        pipeline ->
            pipeline.apply(
                "readFromKafka",
                read()
                    .withTopic("no-such-topic")
                    .withConsumerConfigUpdates(
                        Map.of(
                            "auto.offset.reset", "earliest", "allow.auto.create.topics", false))));
  }

  @Test
  void sourceMetricsAreReportedUnderTheStepTheUserNamed() {
    Map<String, Long> expected = sourceCountersOfStep(DIRECT, "readFromKafka");
    Map<String, Long> actual = sourceCountersOfStep(MICRO_BATCH, "readFromKafka");

    // One split reads every record (Beam splits a read of 1000 records once), and counts them.
    for (String counter :
        List.of(
            "source:elements_read",
            "source:bytes_read",
            "source.splits:0.elements_read",
            "source.splits:0.bytes_read")) {
      assertThat(counter, expected.get(counter), notNullValue());
      assertThat(counter, actual.get(counter), is(expected.get(counter)));
    }
    assertThat(actual.get("source:elements_read"), is((long) RECORDS));
    // Offsets are committed as checkpoints are finalized: DirectRunner counts those commits in the
    // read's bundle; the runner finalizes after each batch, so how many may differ, not where.
    String commits = "KafkaIOReader:" + COMMITS_ENQUEUED;
    assertThat(commits, expected.get(commits), greaterThan(0L));
    assertThat(commits, actual.get(commits), greaterThan(0L));
  }

  @Test
  void offsetCommitsOfTheSplittableWrapperReadAreCountedUnderTheStepTheUserNamed()
      throws Exception {
    // Read.Unbounded as a splittable DoFn finalizes its checkpoints in bundle finalization.
    for (String runner : List.of(DIRECT, MICRO_BATCH)) {
      Pipeline pipeline =
          pipeline(runner, "--experiments=use_sdf_read,use_unbounded_sdf_wrapper");
      pipeline.apply("readFromKafka", committingRead("wrapper-on-" + runner).withoutMetadata());
      PipelineResult result = pipeline.run();
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      while (counterOfStep(result, "readFromKafka", "source", "elements_read") < RECORDS
          || counterOfStep(result, "readFromKafka", "KafkaIOReader", COMMITS_ENQUEUED) == 0) {
        if (System.nanoTime() > deadline) {
          result.cancel();
          fail("No offset commits counted under the read's step on " + runner);
        }
        Thread.sleep(50);
      }
      result.cancel();
    }
  }

  private static long counterOfStep(
      PipelineResult result, String step, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addStep(step)
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build())
            .getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }

  /**
   * Reads the topic from its start, committing offsets as it finalizes checkpoints, in a consumer
   * group of its own: a group that had committed before would resume where it stopped.
   */
  private KafkaIO.Read<String, String> committingRead(String group) {
    return read()
        .withTopic(TOPIC)
        .withConsumerConfigUpdates(Map.of("auto.offset.reset", "earliest", "group.id", group))
        .commitOffsetsInFinalize();
  }

  /**
   * Reads every record, committing offsets as it finalizes checkpoints, and returns the counters
   * that a query by {@code step} finds, by namespace and name, except the runner's own.
   */
  private Map<String, Long> sourceCountersOfStep(String runner, String step) {
    Pipeline pipeline = pipeline(runner, "--experiments=use_deprecated_read");
    pipeline.apply(
        step, committingRead("bounded-on-" + runner).withMaxNumRecords(RECORDS).withoutMetadata());
    PipelineResult result = pipeline.run();
    assertThat(result.waitUntilFinish(Duration.standardMinutes(2)), is(PipelineResult.State.DONE));

    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(MetricsFilter.builder().addStep(step).build())
            .getCounters()) {
      MetricName name = counter.getName();
      if (!name.getNamespace().equals("beam:system") && !name.getNamespace().equals("microbatch")) {
        counters.merge(
            name.getNamespace() + ":" + name.getName(), counter.getAttempted(), Long::sum);
      }
    }
    return counters;
  }

  /**
   * KafkaIO's legacy read fails to split: DirectRunner fails the pipeline with the source's
   * exception as the cause, whose message tells the user what is wrong.
   */
  private void assertSameFailure(Consumer<Pipeline> build) throws IOException {
    Throwable expected = failureOn(DIRECT, build);
    Throwable actual = failureOn(MICRO_BATCH, build);
    assertThat(expected, instanceOf(PipelineExecutionException.class));
    assertThat(actual, instanceOf(PipelineExecutionException.class));
    assertThat(actual.getCause(), notNullValue());
    assertThat(actual.getCause().getClass(), is(expected.getCause().getClass()));
    assertThat(actual.getCause().getMessage(), is(expected.getCause().getMessage()));
  }

  /** What running the pipeline on {@code runner} throws; fails if it does not fail in time. */
  private Throwable failureOn(String runner, Consumer<Pipeline> build) throws IOException {
    Pipeline pipeline = pipeline(runner, "--experiments=use_deprecated_read");
    build.accept(pipeline);
    PipelineResult result;
    PipelineResult.State state;
    try {
      result = pipeline.run();
      state = result.waitUntilFinish(Duration.standardSeconds(60));
    } catch (RuntimeException e) {
      return e;
    }
    result.cancel();
    return fail("The read did not fail on " + runner + "; state " + state);
  }

  private KafkaIO.Read<String, String> read() {
    return KafkaIO.<String, String>read()
        .withBootstrapServers(kafka.bootstrapServers())
        .withKeyDeserializer(StringDeserializer.class)
        .withValueDeserializer(StringDeserializer.class)
        .withConsumerConfigUpdates(Map.of("auto.offset.reset", "earliest"));
  }

  /** A pipeline on {@code runner} whose run() returns at once: the test waits, boundedly. */
  private static Pipeline pipeline(String runner, String... moreArgs) {
    String[] args = {"--runner=" + runner, "--blockOnRun=false"};
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs(SplittableBacklogTest.concat(args, moreArgs)).create());
  }
}
