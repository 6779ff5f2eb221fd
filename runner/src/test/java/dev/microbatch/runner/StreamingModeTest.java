package dev.microbatch.runner;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Bounded pipelines forced to run as streams: inputs read one or two records per partition per
 * batch over many batches, grouping kept in state across them, and the same results as in batch
 * mode. TestPipeline fails a test whose assertions never ran.
 */
public class StreamingModeTest {

  @Rule
  public final transient TestPipeline pipeline =
      TestPipeline.fromOptions(
          PipelineOptionsFactory.fromArgs(
                  "--runner=MicroBatchRunner",
                  "--streaming=true",
                  "--parallelism=3",
                  "--maxRecordsPerBatch=2")
              .create());

  /** Describes each element with its window and pane timing. */
  static final class Describe<T> extends DoFn<T, String> {
    @ProcessElement
    public void process(
        @Element T element, BoundedWindow window, PaneInfo pane, OutputReceiver<String> out) {
      out.output(element + " " + window + " " + pane.getTiming());
    }
  }

  @Test
  public void groupByKeyOverInputReadAcrossManyBatchesEmitsOneOnTimePanePerKeyAndWindow() {
    List<TimestampedValue<KV<String, Integer>>> input = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      input.add(TimestampedValue.of(KV.of("k" + (i % 2), i), new Instant(i * 1000L)));
    }
    PCollection<String> sums =
        pipeline
            .apply(Create.timestamped(input))
            .apply(Window.into(FixedWindows.of(Duration.standardSeconds(20))))
            .apply(Sum.integersPerKey())
            .apply(ParDo.of(new Describe<>()));

    // Sums of 0..19 and 20..39, split into even (k0) and odd (k1) values.
    PAssert.that(sums)
        .containsInAnyOrder(
            "KV{k0, 90} [1970-01-01T00:00:00.000Z..1970-01-01T00:00:20.000Z) ON_TIME",
            "KV{k1, 100} [1970-01-01T00:00:00.000Z..1970-01-01T00:00:20.000Z) ON_TIME",
            "KV{k0, 290} [1970-01-01T00:00:20.000Z..1970-01-01T00:00:40.000Z) ON_TIME",
            "KV{k1, 300} [1970-01-01T00:00:20.000Z..1970-01-01T00:00:40.000Z) ON_TIME");
    pipeline.run();
  }

  @Test
  public void chainedGroupByKeysAllFireWhenTheInputEnds() {
    PCollection<String> total =
        pipeline
            .apply(Create.of(KV.of("a", 1), KV.of("b", 2), KV.of("a", 3), KV.of("c", 4)))
            .apply("First", GroupByKey.create())
            .apply(ParDo.of(new SumUnderOneKey()))
            .apply("Second", Sum.integersPerKey())
            .apply(ParDo.of(new Describe<>()));

    PAssert.that(total).containsInAnyOrder("KV{all, 10} GlobalWindow ON_TIME");
    pipeline.run();
  }

  /** Sums a group's values under the key "all", so a second grouping has one key. */
  static final class SumUnderOneKey extends DoFn<KV<String, Iterable<Integer>>, KV<String, Integer>> {
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<Integer>> group, OutputReceiver<KV<String, Integer>> out) {
      int sum = 0;
      for (int value : group.getValue()) {
        sum += value;
      }
      out.output(KV.of("all", sum));
    }
  }
}
