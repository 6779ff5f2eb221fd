package dev.microbatch.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A combine over sliding windows in a bounded pipeline (which slices panes: each element is added
 * once, into the slice where its windows overlap) gives each window the sum of exactly its
 * elements. Mixed in are elements out of a GroupByKey, each in one window only, and the combiner
 * spoils every accumulator it merges, as Beam allows: a slice's accumulator shared between two
 * windows would show in the sums.
 */
class SlidingWindowCombineTest {
  private static final Duration SIZE = Duration.standardMinutes(60);
  private static final Duration PERIOD = Duration.standardMinutes(10);

  @Test
  void everySlidingWindowGetsTheSumOfExactlyItsElements() {
    List<TimestampedValue<KV<String, Long>>> input = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < 3_000; i++) {
      long millis = random.nextInt((int) Duration.standardHours(8).getStandardSeconds()) * 1000L;
      input.add(TimestampedValue.of(KV.of("k" + random.nextInt(7), (long) random.nextInt(1000)), new Instant(millis)));
    }
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(MicroBatchRunner.class);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<KV<String, Long>> windowed =
        pipeline
            .apply(Create.timestamped(input))
            .apply(Window.into(SlidingWindows.of(SIZE).every(PERIOD)));
    // Out of a GroupByKey each value is in one window: it is added to that window, not a slice.
    PCollection<KV<String, Long>> regrouped =
        windowed.apply("Regroup", GroupByKey.create()).apply("Ungroup", ParDo.of(new Ungroup()));

    PCollection<String> sums =
        windowed.apply("Sum", Combine.perKey(new SpoilingSum())).apply("FormatSums", ParDo.of(new Format()));
    PCollection<String> mixedSums =
        PCollectionList.of(windowed)
            .and(regrouped)
            .apply(Flatten.pCollections())
            .apply("SumMixed", Combine.perKey(new SpoilingSum()))
            .apply("FormatMixed", ParDo.of(new Format()));

    PAssert.that(sums).containsInAnyOrder(expectedSums(input, 1));
    PAssert.that(mixedSums).containsInAnyOrder(expectedSums(input, 2));
    pipeline.run().waitUntilFinish();
  }

  /** "key@windowStart=sum" for every window with an element, each value counted {@code times}. */
  private static List<String> expectedSums(List<TimestampedValue<KV<String, Long>>> input, int times) {
    SlidingWindows windows = SlidingWindows.of(SIZE).every(PERIOD);
    Map<String, Long> sums = new HashMap<>();
    for (TimestampedValue<KV<String, Long>> element : input) {
      for (IntervalWindow window : windows.assignWindows(element.getTimestamp())) {
        String id = element.getValue().getKey() + "@" + window.start().getMillis();
        sums.merge(id, times * element.getValue().getValue(), Long::sum);
      }
    }
    List<String> expected = new ArrayList<>();
    sums.forEach((id, sum) -> expected.add(id + "=" + sum));
    return expected;
  }

  private static final class Ungroup extends DoFn<KV<String, Iterable<Long>>, KV<String, Long>> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<Long>> group, OutputReceiver<KV<String, Long>> out) {
      for (Long value : group.getValue()) {
        out.output(KV.of(group.getKey(), value));
      }
    }
  }

  private static final class Format extends DoFn<KV<String, Long>, String> {
    @ProcessElement
    public void process(@Element KV<String, Long> sum, BoundedWindow window, OutputReceiver<String> out) {
      out.output(sum.getKey() + "@" + ((IntervalWindow) window).start().getMillis() + "=" + sum.getValue());
    }
  }

  /** A sum that leaves every accumulator it merges spoilt, as Beam allows a CombineFn to. */
  private static final class SpoilingSum extends CombineFn<Long, long[], Long> {
    @Override
    public long[] createAccumulator() {
      return new long[1];
    }

    @Override
    public long[] addInput(long[] accumulator, Long input) {
      accumulator[0] += input;
      return accumulator;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accumulators) {
      long total = 0;
      for (long[] accumulator : accumulators) {
        total += accumulator[0];
        accumulator[0] = Long.MIN_VALUE / 4;
      }
      return new long[] {total};
    }

    @Override
    public Long extractOutput(long[] accumulator) {
      return accumulator[0];
    }
  }
}
