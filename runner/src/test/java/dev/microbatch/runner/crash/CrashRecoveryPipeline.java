package dev.microbatch.runner.crash;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The pipeline {@link CrashRecoveryTest} runs in a child JVM and kills: a rate-limited, replayable
 * unbounded source of the numbers 0..n-1 (number i at event time i*10 ms, key i % 10), read up to
 * n records; a windowed count per key (1 s windows), and a stateful per-key count and sum that it
 * reports once, when the input is complete. Every result is appended as a line to a file of its
 * own in the output directory; a killed attempt may leave lines of batches that never committed,
 * which a replay writes again identically (the results do not depend on arrival order).
 *
 * <p>Arguments: output directory, records, then pipeline options.
 */
public final class CrashRecoveryPipeline {
  static final long KEYS = 10;
  static final long MILLIS_PER_RECORD = 10;
  static final long WINDOW_MILLIS = 1000;

  private CrashRecoveryPipeline() {}

  public static void main(String[] args) {
    Path output = Path.of(args[0]);
    long records = Long.parseLong(args[1]);
    String[] options = java.util.Arrays.copyOfRange(args, 2, args.length);
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(options).create());
    PCollection<KV<Long, Long>> keyed =
        pipeline
            .apply(
                "Numbers",
                GenerateSequence.from(0)
                    .to(records)
                    .withRate(4000, Duration.standardSeconds(1))
                    .withTimestampFn(i -> new Instant(i * MILLIS_PER_RECORD)))
            .apply(
                "ByKey",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                    .via((Long i) -> KV.of(i % KEYS, i)));
    keyed
        .apply("Windows", Window.into(FixedWindows.of(Duration.millis(WINDOW_MILLIS))))
        .apply("CountPerWindow", Count.perKey())
        .apply("FormatCounts", ParDo.of(new FormatCount()))
        .apply("WriteCounts", ParDo.of(new AppendLines(output.toString())));
    keyed
        .apply("Totals", ParDo.of(new RunningTotal()))
        .apply("WriteTotals", ParDo.of(new AppendLines(output.toString())));
    System.out.println("RUNNING");
    System.out.flush();
    pipeline.run().waitUntilFinish();
    System.out.println("FINISHED");
    System.out.flush();
  }

  /** {@code count,<window start>,<key>,<count>}. */
  static final class FormatCount extends DoFn<KV<Long, Long>, String> {
    @ProcessElement
    public void process(
        @Element KV<Long, Long> count, BoundedWindow window, OutputReceiver<String> out) {
      out.output(
          "count," + ((IntervalWindow) window).start().getMillis() + "," + count.getKey() + ","
              + count.getValue());
    }
  }

  /** Per key: how many numbers and their sum, reported as {@code total,<key>,<count>,<sum>} at the end. */
  static final class RunningTotal extends DoFn<KV<Long, Long>, String> {
    @StateId("count")
    private final StateSpec<ValueState<Long>> countSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("sum")
    private final StateSpec<ValueState<Long>> sumSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(
        @Element KV<Long, Long> element,
        @StateId("count") ValueState<Long> count,
        @StateId("sum") ValueState<Long> sum,
        @TimerId("end") Timer end) {
      count.write(valueOf(count) + 1);
      sum.write(valueOf(sum) + element.getValue());
      end.set(GlobalWindow.INSTANCE.maxTimestamp());
    }

    @OnTimer("end")
    public void onEnd(
        @Key Long key,
        @StateId("count") ValueState<Long> count,
        @StateId("sum") ValueState<Long> sum,
        OutputReceiver<String> out) {
      out.output("total," + key + "," + valueOf(count) + "," + valueOf(sum));
    }

    private static long valueOf(ValueState<Long> state) {
      Long value = state.read();
      return value == null ? 0 : value;
    }
  }

  /** Appends each bundle's lines to a file of this DoFn instance's own, flushed per bundle. */
  static final class AppendLines extends DoFn<String, Void> {
    private final String directory;
    private transient List<String> lines;

    AppendLines(String directory) {
      this.directory = directory;
    }

    @StartBundle
    public void start() {
      lines = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element String line) {
      lines.add(line);
    }

    @FinishBundle
    public void finish() {
      if (lines.isEmpty()) {
        return;
      }
      StringBuilder text = new StringBuilder();
      lines.forEach(line -> text.append(line).append('\n'));
      // Written aside, then renamed: a kill never leaves a partial line in a result file.
      String name = UUID.randomUUID().toString();
      Path temporary = Path.of(directory, "." + name + ".tmp");
      try (FileOutputStream out = new FileOutputStream(temporary.toFile())) {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        Files.move(temporary, Path.of(directory, name + ".txt"), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
