package dev.microbatch.runner.crash;

import dev.microbatch.io.kafka.ExactlyOnceKafkaSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Duration;

/**
 * The child of {@link KafkaExactlyOnceCrashTest}: Beam's {@code KafkaIO.read()} of topic {@code
 * input} with the records' create times as event times, then two branches. A stateful running
 * count per key outputs {@code key:n} for the key's n-th record to topic {@code running-counts}
 * through the exactly-once Kafka sink. A count per key and 2-second event-time window, a pane for
 * each batch that brings the window records (fired panes discarded), outputs {@code key window-start count pane-index}
 * both to topic {@code window-counts} through the exactly-once sink and to text files with
 * windowed writes. Streaming with checkpoints; it never ends on its own. Arguments: the brokers,
 * the checkpoint directory, the output file prefix, then more pipeline options.
 */
public final class KafkaExactlyOncePipeline {
  static final Duration WINDOW = Duration.standardSeconds(2);
  static final String MARKERS_OPTION = "--markerVariant";
  static final String MARKER_KEY = "end-marker";

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
    options.addAll(List.of(args).subList(3, args.length));
    // The marker variant: the user's own timestamp policy, and one record per input partition
    // stamped at the end of time that ends the input; the markers are not data.
    boolean markers = options.remove(MARKERS_OPTION);
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(options.toArray(String[]::new)).create());
    KafkaIO.Read<String, String> read =
        KafkaIO.<String, String>read()
            .withBootstrapServers(args[0])
            .withTopic("input")
            .withKeyDeserializer(StringDeserializer.class)
            .withValueDeserializer(StringDeserializer.class)
            .withConsumerConfigUpdates(Map.of("auto.offset.reset", "earliest"));
    read =
        markers
            ? read.withTimestampPolicyFactory((partition, previous) -> new MaxSeenTimestampPolicy(previous))
            : read.withCreateTime(Duration.standardSeconds(5));
    PCollection<KV<String, String>> records = pipeline.apply("ReadInput", read.withoutMetadata());
    if (markers) {
      records = records.apply("DropMarkers", Filter.by(record -> !MARKER_KEY.equals(record.getKey())));
    }
    records
        .apply("RunningCount", ParDo.of(new RunningCount()))
        .apply("WriteRunningCounts", sink(args[0], "running-counts"));
    PCollection<KV<String, String>> windowCounts =
        records
            .apply(
                "Windows",
                Window.<KV<String, String>>into(FixedWindows.of(WINDOW))
                    // A pane per batch that brings a window records: what a pane holds depends
                    // on where batches begin and end, which a replay after a crash moves.
                    .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                    .withAllowedLateness(Duration.standardHours(1))
                    .discardingFiredPanes())
            .apply("CountPerWindow", Count.perKey())
            .apply("FormatWindowCount", ParDo.of(new FormatWindowCount()));
    windowCounts.apply("WriteWindowCounts", sink(args[0], "window-counts"));
    windowCounts
        .apply("WindowCountLines", Values.create())
        .apply("WriteWindowCountFiles", TextIO.write().to(args[2]).withWindowedWrites().withNumShards(2));
    PipelineResult result = pipeline.run();
    System.out.println("RUNNING");
    result.waitUntilFinish();
  }

  private static ExactlyOnceKafkaSink<String, String> sink(String servers, String topic) {
    return ExactlyOnceKafkaSink.<String, String>to(topic)
        .withBootstrapServers(servers)
        .withSinkId(topic)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class);
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

  /** {@code key window-start count pane-index}, keyed by the key. */
  static final class FormatWindowCount extends DoFn<KV<String, Long>, KV<String, String>> {
    @ProcessElement
    public void process(
        @Element KV<String, Long> count,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<KV<String, String>> out) {
      long start = ((IntervalWindow) window).start().getMillis();
      out.output(
          KV.of(
              count.getKey(),
              count.getKey() + " " + start + " " + count.getValue() + " " + pane.getIndex()));
    }
  }
}
