package dev.microbatch.runner.recovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microbatch.runner.MicroBatchRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch that fails is rolled back (its state changes and what its sources read) and run again;
 * the retried batch counts every element once, so the result equals a run that never failed.
 */
class BatchRetryTest {
  @TempDir Path temp;

  @Test
  void aBatchThatFailsOnceIsRetriedAndCountsEveryElementOnce() {
    Pipeline pipeline = pipeline(2, temp.resolve("failed-once"));
    pipeline.run().waitUntilFinish();
    assertTrue(Files.exists(temp.resolve("failed-once")), "the step never failed");
  }

  @Test
  void withoutRetriesTheFirstFailureFailsThePipeline() {
    Pipeline pipeline = pipeline(1, temp.resolve("failed-once"));
    Exception failure = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());
    assertThat(rootMessage(failure), containsString("failing once at element 37"));
  }

  /**
   * Sums per key in a stateful step that fails once, at element 37, after it has already changed
   * the state of the elements before it in the batch.
   */
  private Pipeline pipeline(int attempts, Path marker) {
    List<String> args = new ArrayList<>();
    args.add("--runner=" + MicroBatchRunner.class.getSimpleName());
    args.add("--streaming=true");
    args.add("--maxRecordsPerBatch=5");
    args.add("--maxBatchAttempts=" + attempts);
    args.add("--checkpointDir=" + temp.resolve("checkpoints-" + attempts).toUri());
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create());
    PCollection<KV<Long, Long>> sums =
        pipeline
            .apply("Numbers", GenerateSequence.from(0).to(100))
            .apply(
                "ByKey",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                    .via((Long n) -> KV.of(n % 2, n)))
            .apply("Sum", ParDo.of(new SumFailingOnceAt(37, marker.toString())));
    // 0+2+...+98 and 1+3+...+99: any element counted twice or lost changes them.
    PAssert.that(sums).containsInAnyOrder(KV.of(0L, 2450L), KV.of(1L, 2500L));
    return pipeline;
  }

  private static String rootMessage(Throwable failure) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  /** {@link SumPerKey} that throws the first time it sees {@code element} (a marker file remembers). */
  static final class SumFailingOnceAt extends DoFn<KV<Long, Long>, KV<Long, Long>> {
    private final long element;
    private final String marker;

    @StateId("sum")
    private final StateSpec<ValueState<Long>> sumSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    SumFailingOnceAt(long element, String marker) {
      this.element = element;
      this.marker = marker;
    }

    @ProcessElement
    public void process(
        @Element KV<Long, Long> kv, @StateId("sum") ValueState<Long> sum, @TimerId("end") Timer end) {
      Long current = sum.read();
      sum.write((current == null ? 0 : current) + kv.getValue());
      end.set(GlobalWindow.INSTANCE.maxTimestamp());
      if (kv.getValue() == element && !Files.exists(Path.of(marker))) {
        try {
          Files.createFile(Path.of(marker));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("failing once at element " + element);
      }
    }

    @OnTimer("end")
    public void onEnd(
        @Key Long key, @StateId("sum") ValueState<Long> sum, OutputReceiver<KV<Long, Long>> out) {
      out.output(KV.of(key, sum.read()));
    }
  }
}
