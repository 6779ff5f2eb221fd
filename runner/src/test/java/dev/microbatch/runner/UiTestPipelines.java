package dev.microbatch.runner;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/** The streaming pipelines the UI's tests watch, with the UI on at a free loopback port. */
final class UiTestPipelines {
  /** Keys of {@link #keyedCount}. */
  static final long KEYS = 10;

  private UiTestPipelines() {}

  /** A streaming pipeline with its UI on, 100 ms batches, 2 partitions; {@code extra} options too. */
  static Pipeline withUi(String jobName, int maxRecordsPerBatch, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=MicroBatchRunner", "--streaming=true", "--jobName=" + jobName, "--ui=true",
                "--uiPort=0", "--blockOnRun=false", "--batchIntervalMillis=100", "--parallelism=2",
                "--maxRecordsPerBatch=" + maxRecordsPerBatch));
    args.addAll(List.of(extra));
    return Pipeline.create(PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create());
  }

  /**
   * Reads {@code records} numbers and counts them per key (number mod {@link #KEYS}) in state; each
   * key arms one processing-time timer, once, so the stage fires exactly {@link #KEYS} timers.
   */
  static void keyedCount(Pipeline pipeline, long records) {
    pipeline
        .apply("Numbers", Read.from(new CountThenIdleSource(records)))
        .apply(
            "ByKey",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                .via((Long i) -> KV.of(i % KEYS, i)))
        .apply("CountPerKey", ParDo.of(new CountPerKey()));
  }

  /** Counts per key; arms a timer on a key's first element. */
  private static final class CountPerKey extends DoFn<KV<Long, Long>, Void> {
    @StateId("count")
    private final StateSpec<ValueState<Long>> countSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("armed")
    private final StateSpec<ValueState<Boolean>> armedSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("once")
    private final TimerSpec onceSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    @ProcessElement
    public void process(
        @Element KV<Long, Long> element,
        @StateId("count") ValueState<Long> count,
        @StateId("armed") ValueState<Boolean> armed,
        @TimerId("once") Timer once) {
      Long current = count.read();
      count.write(current == null ? 1 : current + 1);
      if (armed.read() == null) {
        armed.write(true);
        once.offset(Duration.ZERO).setRelative();
      }
    }

    @OnTimer("once")
    public void onOnce() {}
  }
}
