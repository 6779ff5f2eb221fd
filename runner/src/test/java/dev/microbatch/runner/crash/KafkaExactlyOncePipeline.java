package dev.microbatch.runner.crash;

import dev.microbatch.io.kafka.ExactlyOnceKafkaSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The child of {@link KafkaExactlyOnceCrashTest}: Beam's {@code KafkaIO.read()} of topic {@code
 * input}, a stateful running count per key that outputs {@code key:n} for the key's n-th record,
 * and the exactly-once sink to topic {@code output}. Streaming with checkpoints; it never ends on
 * its own. Arguments: the brokers, the checkpoint directory, then more pipeline options.
 */
public final class KafkaExactlyOncePipeline {
  private KafkaExactlyOncePipeline() {}

  public static void main(String[] args) {
    // Kafka's clients log every configuration at INFO; the sink's writes are worth seeing.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.dev.microbatch.io.kafka", "debug");
    List<String> options = new ArrayList<>(List.of(
        "--runner=MicroBatchRunner",
        "--streaming",
        "--parallelism=2",
        "--batchIntervalMillis=100",
        "--blockOnRun=false",
        "--checkpointDir=" + args[1]));
    options.addAll(List.of(args).subList(2, args.length));
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(options.toArray(String[]::new)).create());
    pipeline
        .apply(
            "ReadInput",
            KafkaIO.<String, String>read()
                .withBootstrapServers(args[0])
                .withTopic("input")
                .withKeyDeserializer(StringDeserializer.class)
                .withValueDeserializer(StringDeserializer.class)
                .withConsumerConfigUpdates(Map.of("auto.offset.reset", "earliest"))
                .withoutMetadata())
        .apply("RunningCount", ParDo.of(new RunningCount()))
        .apply(
            "WriteOutput",
            ExactlyOnceKafkaSink.<String, String>to("output")
                .withBootstrapServers(args[0])
                .withSinkId("running-counts")
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class));
    PipelineResult result = pipeline.run();
    System.out.println("RUNNING");
    result.waitUntilFinish();
  }

  /** Outputs {@code key:n} for the n-th record of each key. */
  static final class RunningCount extends DoFn<KV<String, String>, KV<String, String>> {
    @StateId("count")
    private final StateSpec<ValueState<Long>> countSpec = StateSpecs.value(VarLongCoder.of());

    @ProcessElement
    public void process(
        @Element KV<String, String> record,
        @StateId("count") ValueState<Long> count,
        OutputReceiver<KV<String, String>> out) {
      Long before = count.read();
      long now = (before == null ? 0 : before) + 1;
      count.write(now);
      out.output(KV.of(record.getKey(), record.getKey() + ":" + now));
    }
  }
}
