package dev.microbatch.translation.functions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.WindowedValueMultiReceiver;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Collects a DoFn's outputs until the downstream iterator takes them. A single-output ParDo emits
 * its values as they are; a multi-output ParDo emits {@link TaggedOutput}s.
 */
final class BufferingOutputManager implements WindowedValueMultiReceiver {
  private final ArrayDeque<Object> buffer = new ArrayDeque<>();
  private final Map<TupleTag<?>, Integer> indexes = new HashMap<>();
  private final boolean single;
  private final @Nullable OutputChecks checks;
  private final @Nullable RowOutputs rows;

  /**
   * Collects the outputs of {@code outputTags}, giving Rows their output's schema ({@code rows},
   * if any output is Row-typed) and checking each output with {@code checks} (if any).
   */
  BufferingOutputManager(
      List<TupleTag<?>> outputTags, @Nullable RowOutputs rows, @Nullable OutputChecks checks) {
    for (int i = 0; i < outputTags.size(); i++) {
      indexes.put(outputTags.get(i), i);
    }
    this.single = outputTags.size() == 1;
    this.rows = rows;
    this.checks = checks;
  }

  /** The checks of user code over this ParDo's outputs, or null when none are on. */
  @Nullable
  OutputChecks checks() {
    return checks;
  }

  @Override
  public <OutputT> void output(TupleTag<OutputT> tag, WindowedValue<OutputT> value) {
    Integer index = indexes.get(tag);
    if (index == null) {
      throw new IllegalArgumentException(
          "Output to tag " + tag + " which is not an output of this ParDo; outputs: " + indexes.keySet());
    }
    if (rows != null) {
      value = rows.conform(tag, value);
    }
    if (checks != null) {
      checks.onOutput(tag, value);
    }
    buffer.add(single ? value : new TaggedOutput(index, value));
  }

  boolean isEmpty() {
    return buffer.isEmpty();
  }

  int size() {
    return buffer.size();
  }

  Object poll() {
    return buffer.poll();
  }

  /** Every buffered output, in order, leaving the buffer empty. */
  List<Object> takeAll() {
    List<Object> all = new ArrayList<>(buffer);
    buffer.clear();
    return all;
  }
}
