package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
  private static final String[] RUNNERS = {"DirectRunner", "MicroBatchRunner"};

  private InProcessKafka kafka;

  @BeforeAll
  void startBrokerAndWriteNumbers() throws Exception {
    kafka = new InProcessKafka();
    kafka.createTopic(TOPIC, 3);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(TOPIC, "key" + i, Integer.toString(i)));
      }
    }
  }

  @AfterAll
  void stopBroker() throws Exception {
    kafka.close();
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
                        Map.of("auto.offset.reset", "earliest", "allow.auto.create.topics", false))));
  }

  /**
   * KafkaIO's legacy read fails to split: DirectRunner fails the pipeline with the source's
   * exception as the cause, whose message tells the user what is wrong.
   */
  private void assertSameFailure(Consumer<Pipeline> build) throws IOException {
    Throwable expected = failureOn(RUNNERS[0], build);
    Throwable actual = failureOn(RUNNERS[1], build);
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
