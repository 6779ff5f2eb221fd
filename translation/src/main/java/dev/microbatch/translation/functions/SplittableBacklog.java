package dev.microbatch.translation.functions;

import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespaces;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StateTags;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.ValueState;

/**
 * The work a splittable DoFn stage still has to do: the sum of the sizes of the restrictions it
 * has started and not finished, as a counter that rises and falls. Each work item keeps the size
 * it last reported in its own key's state, and a process call adds the change, so the counter's
 * committed value is the backlog as of the last committed batch, summed over all partitions.
 */
final class SplittableBacklog {
  private static final StateTag<ValueState<Long>> REPORTED_SIZE =
      StateTags.makeSystemTagInternal(StateTags.value("reported-backlog", VarLongCoder.of()));

  private SplittableBacklog() {}

  /** Records that the current work item's outstanding work is now {@code size}. */
  static void update(StateInternals keyState, long size, Counter backlog) {
    ValueState<Long> reported = keyState.state(StateNamespaces.global(), REPORTED_SIZE);
    Long before = reported.read();
    long change = size - (before == null ? 0 : before);
    if (size == 0) {
      reported.clear();
    } else {
      reported.write(size);
    }
    if (change != 0) {
      backlog.inc(change);
    }
  }
}
