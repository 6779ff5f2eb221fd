package dev.microbatch.translation.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.IllegalMutationException;
import org.apache.beam.sdk.util.MutationDetector;
import org.apache.beam.sdk.util.MutationDetectors;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * The opt-in checks of a ParDo's outputs: with encodability on, every output must encode and
 * decode with its output's coder; with immutability on, an output must not change between being
 * output and the end of the DoFn call that output it (when the next stage may read it).
 */
final class OutputChecks {
  private final Map<TupleTag<?>, Coder<WindowedValue<?>>> coders;
  private final boolean encodability;
  private final boolean immutability;
  private final String step;
  private final List<MutationDetector> pending = new ArrayList<>();

  OutputChecks(
      Map<TupleTag<?>, Coder<WindowedValue<?>>> coders,
      boolean encodability,
      boolean immutability,
      String step) {
    this.coders = Map.copyOf(coders);
    this.encodability = encodability;
    this.immutability = immutability;
    this.step = step;
  }

  boolean immutability() {
    return immutability;
  }

  /** Checks an element as it is output. */
  void onOutput(TupleTag<?> tag, WindowedValue<?> value) {
    Coder<WindowedValue<?>> coder = coders.get(tag);
    try {
      if (encodability) {
        CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, value));
      }
      if (immutability) {
        pending.add(MutationDetectors.forValueWithCoder(value, coder));
      }
    } catch (CoderException e) {
      throw new IllegalArgumentException(
          "Step " + step + " output an element that the coder " + coder + " of its output "
              + tag.getId() + " cannot encode and decode: " + value.getValue(),
          e);
    }
  }

  /** Verifies that nothing output since the last call changed; called after each DoFn call. */
  void verify() {
    try {
      for (MutationDetector detector : pending) {
        detector.verifyUnmodified();
      }
    } catch (IllegalMutationException e) {
      throw new IllegalMutationException(
          "Step " + step + " mutated an element after it output it (" + e.getSavedValue()
              + ", now " + e.getNewValue() + "): an output must not change once output",
          e.getSavedValue(),
          e.getNewValue(),
          e);
    } finally {
      pending.clear();
    }
  }
}
