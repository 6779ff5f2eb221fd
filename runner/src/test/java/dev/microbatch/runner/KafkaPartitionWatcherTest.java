package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.fail;

import dev.microbatch.testing.InProcessKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * KafkaIO's dynamic read finds partitions through its partition watcher (a Watch that never
 * terminates), so its pipeline never ends, on DirectRunner as here, and Beam's tests of the
 * watcher run it without blocking. The same pipeline on DirectRunner and on the runner: run()
 * returns without failing it for assertions that cannot have run yet, the watcher finds each
 * partition once, and every record is read once.
 */
public class KafkaPartitionWatcherTest {
  private static final String TOPIC = "numbers";
  private static final int RECORDS = 300;

  @Rule
  public final transient TestPipeline direct = TestPipeline.fromOptions(options("DirectRunner"));

  @Rule
  public final transient TestPipeline microBatch =
      TestPipeline.fromOptions(options("MicroBatchRunner"));

  private InProcessKafka kafka;

  /** Counts the numbers it sees and adds them up. */
  static final class Tally extends DoFn<String, Void> {
    private final Counter count = Metrics.counter(KafkaPartitionWatcherTest.class, "count");
    private final Counter sum = Metrics.counter(KafkaPartitionWatcherTest.class, "sum");

    @ProcessElement
    public void process(@Element String number) {
      count.inc();
      sum.inc(Long.parseLong(number));
    }
  }

  @Before
  public void startBrokerAndWriteNumbers() throws Exception {
    kafka = new InProcessKafka();
    kafka.createTopic(TOPIC, 3);
    kafka.writeNumbers(TOPIC, RECORDS);
  }

  @After
  public void stopBroker() throws Exception {
    kafka.close();
  }

  @Test
  public void aReadThroughThePartitionWatcherRunsAsOnDirectRunner() throws Exception {
    Map<String, Long> expected = readThroughTheWatcher(direct);
    Map<String, Long> actual = readThroughTheWatcher(microBatch);

    assertThat(expected.get("count"), is((long) RECORDS));
    assertThat(
        expected.keySet(), hasItems("found numbers-0", "found numbers-1", "found numbers-2"));
    assertThat(actual, is(expected));
  }

  /**
   * Runs the read without blocking until every record has arrived, then cancels it; returns the
   * counters of the records and of the partitions the watcher found.
   */
  private Map<String, Long> readThroughTheWatcher(TestPipeline pipeline) throws Exception {
    PCollection<String> numbers =
        pipeline
            .apply(
                "readFromKafka",
                KafkaIO.<String, String>read()
                    .withBootstrapServers(kafka.bootstrapServers())
                    .withTopicPattern("num.*")
                    .withDynamicRead(Duration.standardSeconds(1))
                    .withKeyDeserializer(StringDeserializer.class)
                    .withValueDeserializer(StringDeserializer.class)
                    .withConsumerConfigUpdates(Map.of("auto.offset.reset", "earliest"))
                    .withoutMetadata())
            .apply(Values.create());
    numbers.apply(ParDo.of(new Tally()));
    // As in Beam's tests of the watcher: an assertion that can only run once the read ends.
    PAssert.that(numbers).containsInAnyOrder(allNumbers());

    // TestPipeline counts successful assertions when run() returns, if the runner says metrics
    // are supported then: a pipeline still running has run none, which must not fail it.
    PipelineResult result = pipeline.run();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (counters(result).getOrDefault("count", 0L) < RECORDS) {
      if (System.nanoTime() > deadline) {
        result.cancel();
        fail("Only " + counters(result) + " read on " + pipeline.getOptions().getRunner());
      }
      Thread.sleep(50);
    }
    // Keep reading for a second: a record read twice would show.
    Thread.sleep(1000);
    Map<String, Long> counters = counters(result);
    result.cancel();
    return counters;
  }

  /** The records counted and summed, and the partitions the watcher found, by name. */
  private static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> counter :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      String namespace = counter.getName().getNamespace();
      if (namespace.equals(KafkaPartitionWatcherTest.class.getName())) {
        counters.merge(counter.getName().getName(), counter.getAttempted(), Long::sum);
      } else if (namespace.equals("watch_kafka_topic_partition")) {
        counters.merge("found " + counter.getName().getName(), counter.getAttempted(), Long::sum);
      }
    }
    return counters;
  }

  private static List<String> allNumbers() {
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      numbers.add(Integer.toString(i));
    }
    return numbers;
  }

  private static PipelineOptions options(String runner) {
    // KafkaIO's dynamic read needs the beam_fn_api experiment; the read never ends.
    return PipelineOptionsFactory.fromArgs(
            "--runner=" + runner, "--blockOnRun=false", "--experiments=beam_fn_api")
        .create();
  }
}
