package dev.microbatch.translation.functions;

import java.util.Collection;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Pane slicing of sliding windows: time cut at every window start and end into slices one period
 * long, each inside {@code size / period} windows. An element assigned by {@link SlidingWindows}
 * lies in exactly the windows that contain its slice, so a combiner can add it once, into its
 * slice's accumulator, and build each window from the slices it covers, rather than adding it
 * into every window. Only where the size is a multiple of the period, so slices are equal.
 */
public final class SlidingSlices {
  private final long size;
  private final long period;
  private final int windowsPerSlice;

  private SlidingSlices(long size, long period) {
    this.size = size;
    this.period = period;
    this.windowsPerSlice = (int) (size / period);
  }

  /** Slices of {@code windowFn}'s windows, or null where slicing would not save work. */
  public static @Nullable SlidingSlices of(WindowFn<?, ?> windowFn) {
    if (!(windowFn instanceof SlidingWindows sliding)) {
      return null;
    }
    long size = sliding.getSize().getMillis();
    long period = sliding.getPeriod().getMillis();
    return size > period && size % period == 0 ? new SlidingSlices(size, period) : null;
  }

  /**
   * The slice common to {@code windows} when they are all the windows of one point in time (as
   * SlidingWindows assigns them), else null: an element out of a grouping, say, is in one window.
   */
  @Nullable IntervalWindow sliceOf(Collection<? extends BoundedWindow> windows) {
    if (windows.size() != windowsPerSlice) {
      return null;
    }
    long latestStart = Long.MIN_VALUE;
    long earliestEnd = Long.MAX_VALUE;
    for (BoundedWindow window : windows) {
      if (!(window instanceof IntervalWindow interval)
          || interval.end().getMillis() - interval.start().getMillis() != size) {
        return null;
      }
      latestStart = Math.max(latestStart, interval.start().getMillis());
      earliestEnd = Math.min(earliestEnd, interval.end().getMillis());
    }
    // n distinct windows of one size, aligned to the period, whose overlap is one period long:
    // their starts fill the n aligned places before the overlap, so they are all its windows.
    return earliestEnd - latestStart == period
        ? new IntervalWindow(new Instant(latestStart), new Instant(earliestEnd))
        : null;
  }

  /** The windows' size in milliseconds. */
  long size() {
    return size;
  }

  /** The windows' period, each slice's length, in milliseconds. */
  long period() {
    return period;
  }

  /** Whether {@code window} is a slice rather than a whole window (those are longer). */
  boolean isSlice(BoundedWindow window) {
    return window instanceof IntervalWindow interval
        && interval.end().getMillis() - interval.start().getMillis() == period;
  }
}
