package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beam's {@code TextIO} windowed writes in a streaming run with checkpoints, where the runner
 * feeds the renaming of temporary files to final names only durable results: a graceful stop
 * still renames the files of every pane that fired (one batch after the final durable checkpoint
 * hands them on). Crashes are {@code crash.KafkaExactlyOnceCrashTest}'s.
 */
class ExactlyOnceFileSinkTest {
  @TempDir Path temp;

  /**
   * On both read paths: the legacy source reads nothing in the drain batch (its record limit is
   * 0); the splittable read resumes no restriction there (it would read records whose panes could
   * not be renamed before the end).
   */
  @ParameterizedTest
  @ValueSource(strings = {"use_deprecated_read", "use_sdf_read"})
  void aGracefulStopRenamesTheFilesOfEveryPaneThatFired(String readPath) throws Exception {
    Path out = Files.createDirectories(temp.resolve("out"));
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(
                    "--runner=MicroBatchRunner",
                    "--streaming",
                    "--parallelism=2",
                    "--batchIntervalMillis=100",
                    "--blockOnRun=false",
                    "--experiments=" + readPath,
                    "--checkpointDir=" + temp.resolve("checkpoints").toUri())
                .create());
    pipeline
        .apply(GenerateSequence.from(0).withRate(400, Duration.standardSeconds(1)))
        .apply("CountWritten", ParDo.of(new CountAndFormat()))
        // A pane per element: every record reaches the file write in the batch that read it.
        .apply(
            Window.<String>into(FixedWindows.of(Duration.standardSeconds(1)))
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply(TextIO.write().to(out.resolve("numbers").toString()).withWindowedWrites().withNumShards(2));
    PipelineResult result = pipeline.run();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (FinalFiles.lines(out).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(1000);
    result.cancel();
    result.waitUntilFinish();

    List<String> lines = FinalFiles.lines(out);
    long counted = CounterTotals.committed(result, ExactlyOnceFileSinkTest.class, "written");
    assertThat("records counted before the write", counted, greaterThan(0L));
    assertThat("lines in final files", (long) lines.size(), is(counted));
    Map<String, Integer> times = new HashMap<>();
    lines.forEach(line -> times.merge(line, 1, Integer::sum));
    assertThat("lines seen more than once", times.entrySet().stream().filter(e -> e.getValue() > 1).toList(), empty());
  }

  /** Counts each record it passes on, as text. */
  static final class CountAndFormat extends DoFn<Long, String> {
    private final Counter written = Metrics.counter(ExactlyOnceFileSinkTest.class, "written");

    @ProcessElement
    public void process(@Element Long number, OutputReceiver<String> out) {
      written.inc();
      out.output(Long.toString(number));
    }
  }
}
