package dev.microbatch.translation.functions;

import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.values.WindowingStrategy;

/** What panes a bounded pipeline's windows fire, where that lets a stage skip ReduceFnRunner. */
public final class BatchPanes {
  private BatchPanes() {}

  /**
   * Whether, over a complete batch, each window (once merged) fires exactly one on-time pane
   * timestamped at its end: the default trigger with end-of-window timestamps.
   */
  public static boolean oneOnTimePanePerWindow(WindowingStrategy<?, ?> strategy) {
    return strategy.getTrigger() instanceof DefaultTrigger
        && strategy.getTimestampCombiner() == TimestampCombiner.END_OF_WINDOW;
  }
}
