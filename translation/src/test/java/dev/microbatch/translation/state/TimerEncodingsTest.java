package dev.microbatch.translation.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.runners.core.TimerInternals.TimerDataCoderV2;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Timers set again and again, alternating, or equal across keys are encoded once. */
class TimerEncodingsTest {
  private final TimerDataCoderV2 coder = TimerDataCoderV2.of(IntervalWindow.getCoder());
  private final TimerEncodings encodings = new TimerEncodings(coder);

  private static TimerData timer(String id, long window, long at) {
    IntervalWindow w = new IntervalWindow(new Instant(window), new Instant(window + 10));
    // A new namespace object each time, as Beam's ReduceFnRunner makes one per element.
    return TimerData.of(
        id,
        "",
        StateNamespaces.window(IntervalWindow.getCoder(), w),
        new Instant(at),
        new Instant(at),
        TimeDomain.EVENT_TIME);
  }

  @Test
  void alternatingTimersAreEachEncodedOnceAndEqualTimersShareTheirBytes() throws Exception {
    byte[] endOfWindow = encodings.of(timer("end", 0, 9));
    byte[] cleanup = encodings.of(timer("gc", 0, 100));
    for (int element = 0; element < 5; element++) {
      assertSame(endOfWindow, encodings.of(timer("end", 0, 9)));
      assertSame(cleanup, encodings.of(timer("gc", 0, 100)));
    }
    assertArrayEquals(CoderUtils.encodeToByteArray(coder, timer("end", 0, 9)), endOfWindow);
    assertEquals(timer("end", 0, 9), CoderUtils.decodeFromByteArray(coder, endOfWindow));
  }

  @Test
  void timersThatDifferInTimeOrWindowGetTheirOwnBytes() throws Exception {
    byte[] first = encodings.of(timer("end", 0, 9));
    byte[] later = encodings.of(timer("end", 0, 10));
    byte[] otherWindow = encodings.of(timer("end", 10, 9));
    assertNotSame(first, later);
    assertEquals(timer("end", 0, 10), CoderUtils.decodeFromByteArray(coder, later));
    assertEquals(timer("end", 10, 9), CoderUtils.decodeFromByteArray(coder, otherWindow));
  }
}
