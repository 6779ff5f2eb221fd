package dev.microbatch.translation.functions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.microbatch.engine.shuffle.ByteKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Pane slicing adds each element once, into its slice, and still gives every sliding window the
 * sum of exactly its elements, also when the combiner's merge spoils the accumulators it is given
 * and when some elements are each in one window only.
 */
class SlidingSlicesTest {
  private static final SlidingWindows HOUR_EVERY_10_MINUTES =
      SlidingWindows.of(Duration.standardMinutes(60)).every(Duration.standardMinutes(10));

  @Test
  void anElementsSliceIsWhereAllItsWindowsOverlap() {
    SlidingSlices slices = SlidingSlices.of(HOUR_EVERY_10_MINUTES);
    Instant timestamp = new Instant(Duration.standardMinutes(95).getMillis());
    IntervalWindow slice = slices.sliceOf(HOUR_EVERY_10_MINUTES.assignWindows(timestamp));

    assertThat(slice, equalTo(new IntervalWindow(minutes(90), minutes(100))));
    assertThat(slices.isSlice(slice), is(true));
    // One window out of a grouping is not all the windows of a time: no slice.
    assertThat(slices.sliceOf(List.of(new IntervalWindow(minutes(40), minutes(100)))), is(nullValue()));
    // Windows that do not slide past each other, or a size that is no multiple of the period.
    assertThat(SlidingSlices.of(FixedWindows.of(Duration.standardMinutes(1))), is(nullValue()));
    assertThat(
        SlidingSlices.of(SlidingWindows.of(Duration.standardMinutes(25)).every(Duration.standardMinutes(10))),
        is(nullValue()));
  }

  @Test
  void eachElementIsAddedOnceAndEveryWindowGetsExactlyItsElements() throws Exception {
    SlidingSlices slices = SlidingSlices.of(HOUR_EVERY_10_MINUTES);
    CountingSpoilingSum sum = new CountingSpoilingSum();
    AccumulatorsPerKeyAndWindow<String, Long, long[]> sliced = new AccumulatorsPerKeyAndWindow<>(sum, slices);
    Map<String, Long> expected = new HashMap<>();
    Random random = new Random(42);
    int elements = 0;
    for (int i = 0; i < 2_000; i++) {
      String key = "k" + random.nextInt(5);
      long value = random.nextInt(100);
      Instant timestamp = new Instant(random.nextInt(Duration.standardHours(6).toStandardSeconds().getSeconds()) * 1000L);
      List<BoundedWindow> windows = new ArrayList<>(HOUR_EVERY_10_MINUTES.assignWindows(timestamp));
      if (i % 10 == 0) {
        // As out of a GroupByKey: in one of the windows only.
        windows = List.of(windows.get(random.nextInt(windows.size())));
      }
      for (BoundedWindow window : windows) {
        expected.merge(key + "@" + window, value, Long::sum);
      }
      sliced.addByEncodedKey(ByteKey.of(key.getBytes()), element(key, value, timestamp, windows));
      elements++;
    }

    assertThat("every element added once", sum.added, is(elements));
    Map<PartialAccumulator.KeyAndWindow, PartialAccumulator<String, long[]>> partials = new HashMap<>();
    for (PartialAccumulator<String, long[]> partial : sliced.partials()) {
      partials.put(new PartialAccumulator.KeyAndWindow(partial.encodedKey, partial.window), partial);
    }
    Map<String, Long> actual = new HashMap<>();
    for (PartialAccumulator<String, long[]> window :
        new WindowsFromSlices<String, long[]>(slices, sum, sum.coder()).assemble(partials)) {
      actual.put(window.key + "@" + window.window, sum.extractOutput(window.accumulator));
    }
    assertThat(actual, equalTo(expected));
  }

  private static WindowedValue<KV<String, Long>> element(
      String key, long value, Instant timestamp, List<BoundedWindow> windows) {
    return WindowedValues.of(KV.of(key, value), timestamp, windows, PaneInfo.NO_FIRING);
  }

  private static Instant minutes(int minutes) {
    return new Instant(Duration.standardMinutes(minutes).getMillis());
  }

  /**
   * A sum that counts its inputs and, as Beam allows, leaves every accumulator it merges spoilt:
   * an accumulator shared by two windows would show up in the sums.
   */
  private static final class CountingSpoilingSum extends CombineFn<Long, long[], Long> {
    int added;

    @Override
    public long[] createAccumulator() {
      return new long[1];
    }

    @Override
    public long[] addInput(long[] accumulator, Long input) {
      added++;
      accumulator[0] += input;
      return accumulator;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accumulators) {
      long total = 0;
      for (long[] accumulator : accumulators) {
        total += accumulator[0];
        accumulator[0] = -1_000_000;
      }
      return new long[] {total};
    }

    @Override
    public Long extractOutput(long[] accumulator) {
      return accumulator[0];
    }

    Coder<long[]> coder() {
      return new LongArrayCoder();
    }
  }

  private static final class LongArrayCoder extends AtomicCoder<long[]> {
    @Override
    public void encode(long[] value, OutputStream out) throws IOException {
      BigEndianLongCoder.of().encode(value[0], out);
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      return new long[] {BigEndianLongCoder.of().decode(in)};
    }
  }
}
