package dev.microbatch.translation.translators;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import dev.microbatch.translation.functions.PartialCombineFunction;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A combine's inputs are combined per partition before the shuffle only where Beam's panes come
 * out the same, and that early combine makes one accumulator per key (by encoding) and window.
 */
class CombineLiftingTest {
  private static final FixedWindows MINUTES = FixedWindows.of(Duration.standardMinutes(1));

  @Test
  void inputsAreCombinedEarlyOnlyWhereNoPaneCanChange() {
    assertThat(CombineLifting.combinesEarly(WindowingStrategy.of(MINUTES)), is(true));
    // A batch's elements all arrive at the batch's processing time: the delay starts the same.
    assertThat(
        CombineLifting.combinesEarly(
            WindowingStrategy.of(MINUTES)
                .withTrigger(
                    Repeatedly.forever(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(Duration.standardSeconds(10))))),
        is(true));
    // An element count anywhere in the trigger would count an accumulator as one element.
    assertThat(
        CombineLifting.combinesEarly(
            WindowingStrategy.of(MINUTES)
                .withTrigger(AfterWatermark.pastEndOfWindow().withEarlyFirings(AfterPane.elementCountAtLeast(3)))),
        is(false));
    // Merging windows merge accumulators of windows before they exist.
    assertThat(
        CombineLifting.combinesEarly(WindowingStrategy.of(Sessions.withGapDuration(Duration.standardMinutes(1)))),
        is(false));
    // Earliest or latest timestamps depend on each element's timestamp and lateness.
    assertThat(
        CombineLifting.combinesEarly(WindowingStrategy.of(MINUTES).withTimestampCombiner(TimestampCombiner.EARLIEST)),
        is(false));
  }

  @Test
  void aPartitionMakesOneAccumulatorPerKeyAndWindowAtTheWindowsEnd() throws Exception {
    SlidingWindows windows = SlidingWindows.of(Duration.standardMinutes(2)).every(Duration.standardMinutes(1));
    List<WindowedValue<KV<byte[], Long>>> input = new ArrayList<>();
    // Equal byte arrays are one key, as their encodings are; each element is in two windows.
    input.add(element(new byte[] {1}, 5, 30_000, windows));
    input.add(element(new byte[] {1}, 7, 40_000, windows));
    input.add(element(new byte[] {2}, 11, 90_000, windows));

    List<String> partials = new ArrayList<>();
    new PartialCombineFunction<byte[], Long, long[]>(ByteArrayCoder.of(), Sum.ofLongs())
        .apply(input.iterator(), null)
        .forEachRemaining(
            partial -> {
              IntervalWindow window = (IntervalWindow) partial.getWindows().iterator().next();
              assertThat(partial.getTimestamp(), is(window.maxTimestamp()));
              partials.add(
                  partial.getValue().getKey()[0]
                      + "@" + window.start().getMillis() / 60_000
                      + "=" + partial.getValue().getValue()[0]);
            });

    assertThat(partials, containsInAnyOrder("1@-1=12", "1@0=12", "2@0=11", "2@1=11"));
  }

  private static WindowedValue<KV<byte[], Long>> element(
      byte[] key, long value, long millis, SlidingWindows windows) {
    Instant timestamp = new Instant(millis);
    return WindowedValues.of(
        KV.of(key, value), timestamp, windows.assignWindows(timestamp), PaneInfo.NO_FIRING);
  }
}
