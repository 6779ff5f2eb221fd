package dev.microbatch.benchmarks;

import dev.microbatch.io.kafka.ExactlyOnceKafkaSink;
import dev.microbatch.testing.InProcessKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What exactly-once output costs: Kafka -> a running count per key -> Kafka on MicroBatchRunner,
 * streaming with checkpoints and a 1 s batch interval, once with Beam's {@code KafkaIO.write()}
 * (at-least-once: after a crash the batches since the last checkpoint are written again) and once
 * with {@link ExactlyOnceKafkaSink}, in pairs on the same input (A B, then B A, alternating), against a real broker in this
 * JVM. Each run reads the whole pre-filled input topic (a bounded read of it: the run ends when
 * every record is read and its results written), so a run's time is its throughput; batches run
 * back to back while the topic has a backlog, each reading for up to the batch interval. The
 * output of every run is counted with {@code read_committed}. A first pair warms the JVM up and is
 * not counted.
 */
final class KafkaSinkBenchmark {
  private static final int KEYS = 10_000;
  private static final int INPUT_PARTITIONS = 4;
  private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 5);

  private KafkaSinkBenchmark() {}

  record Run(String name, long records, double seconds) {
    double perSecond() {
      return records / seconds;
    }

    @Override
    public String toString() {
      return String.format("%-28s | %,10d records | %7.2f s | %,10.0f records/s", name, records, seconds, perSecond());
    }
  }

  static String run(long records, Path work) throws Exception {
    if (records % INPUT_PARTITIONS != 0) {
      throw new IllegalArgumentException("The records must be a multiple of " + INPUT_PARTITIONS + ", got " + records);
    }
    Files.createDirectories(work);
    // The broker and every client log their whole configuration at INFO.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.kafka", "warn");
    try (InProcessKafka kafka = new InProcessKafka()) {
      kafka.createTopic("input", INPUT_PARTITIONS);
      fill(kafka.bootstrapServers(), records);
      System.out.printf(
          "kafka sink benchmark: %,d records over %d keys in %d input partitions; running count per"
              + " key; 2 partitions, 1 s batches, checkpoints on%n",
          records, KEYS, INPUT_PARTITIONS);
      // One pair first, not counted: the first runs pay for class loading and the JIT.
      runOnce(kafka, records, work, "warm-up at-least-once", "warm-alo", false);
      runOnce(kafka, records, work, "warm-up exactly-once", "warm-eos", true);
      List<Double> ratios = new ArrayList<>();
      double bestA = 0;
      double bestB = 0;
      for (int round = 1; round <= ROUNDS; round++) {
        // A B, then B A: whatever builds up over runs (the broker's logs, the heap) favours neither.
        Run a;
        Run b;
        if (round % 2 == 1) {
          a = runOnce(kafka, records, work, "A at-least-once #" + round, "alo-" + round, false);
          b = runOnce(kafka, records, work, "B exactly-once #" + round, "eos-" + round, true);
        } else {
          b = runOnce(kafka, records, work, "B exactly-once #" + round, "eos-" + round, true);
          a = runOnce(kafka, records, work, "A at-least-once #" + round, "alo-" + round, false);
        }
        ratios.add(b.perSecond() / a.perSecond());
        bestA = Math.max(bestA, a.perSecond());
        bestB = Math.max(bestB, b.perSecond());
      }
      List<Double> sorted = new ArrayList<>(ratios);
      sorted.sort(null);
      return String.format(
          "SUMMARY kafka-sink %,d records: exactly-once / at-least-once throughput %.2f (best of each;"
              + " goal >= 0.70); round by round %s, median %.2f",
          records, bestB / bestA, ratios.stream().map(r -> String.format("%.2f", r)).toList(),
          sorted.get(sorted.size() / 2));
    }
  }

  private static Run runOnce(
      InProcessKafka kafka, long records, Path work, String name, String output, boolean exactlyOnce)
      throws Exception {
    kafka.createTopic(output, 2);
    Path checkpoints = Files.createTempDirectory(work, "kafka-sink-checkpoints-");
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(
                    "--runner=MicroBatchRunner",
                    "--streaming=true",
                    "--jobName=kafka-sink-benchmark",
                    "--parallelism=2",
                    "--batchIntervalMillis=1000",
                    "--checkpointDir=" + checkpoints)
                .create());
    String servers = kafka.bootstrapServers();
    pipeline
        .apply(
            "ReadInput",
            KafkaIO.<String, String>read()
                .withBootstrapServers(servers)
                .withTopic("input")
                .withKeyDeserializer(StringDeserializer.class)
                .withValueDeserializer(StringDeserializer.class)
                .withConsumerConfigUpdates(Map.of("auto.offset.reset", "earliest"))
                .withMaxNumRecords(records)
                .withoutMetadata())
        .apply("RunningCount", ParDo.of(new RunningCountFn()))
        .apply("Write", exactlyOnce ? exactlyOnceSink(servers, output) : atLeastOnceSink(servers, output));
    System.gc();
    long started = System.nanoTime();
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    double seconds = (System.nanoTime() - started) / 1e9;
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(name + " ended " + state);
    }
    long written = kafka.committedValues(output, Duration.ofSeconds(60)).size();
    if (written != records) {
      throw new IllegalStateException(name + " wrote " + written + " results for " + records + " records");
    }
    Run run = new Run(name, records, seconds);
    System.out.println(run);
    return run;
  }

  private static PTransform<PCollection<KV<String, String>>, PDone> atLeastOnceSink(String servers, String topic) {
    return KafkaIO.<String, String>write()
        .withBootstrapServers(servers)
        .withTopic(topic)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class)
        .withProducerConfigUpdates(Map.of("acks", "all"));
  }

  private static PTransform<PCollection<KV<String, String>>, PDone> exactlyOnceSink(String servers, String topic) {
    return ExactlyOnceKafkaSink.<String, String>to(topic)
        .withBootstrapServers(servers)
        .withSinkId(topic)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class);
  }

  private static void fill(String servers, long records) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(Map.of("bootstrap.servers", servers, "linger.ms", 20), new StringSerializer(), new StringSerializer())) {
      for (long i = 0; i < records; i++) {
        // Partitions round robin: a bounded read gives each split an equal share of the records,
        // so uneven partitions would leave a split waiting for records that never come.
        producer.send(
            new ProducerRecord<>("input", (int) (i % INPUT_PARTITIONS), "key-" + (i % KEYS), Long.toString(i)));
      }
    }
  }
}
