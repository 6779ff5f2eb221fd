package dev.microbatch.translation.functions;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.state.BatchVersioned;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * The elements one partition of a streaming ParDo holds back until their side inputs are ready;
 * a failed batch puts back what the last committed batch left.
 */
public final class PushbackBuffer<T> implements BatchVersioned {
  private List<WindowedValue<T>> elements = new ArrayList<>();
  private List<WindowedValue<T>> committed = List.of();

  @Override
  public void commit(long batchId) {
    committed = List.copyOf(elements);
  }

  @Override
  public void rollback() {
    elements = new ArrayList<>(committed);
  }

  /** Every buffered element, leaving the buffer empty. */
  List<WindowedValue<T>> takeAll() {
    List<WindowedValue<T>> taken = elements;
    elements = new ArrayList<>();
    return taken;
  }

  void addAll(List<WindowedValue<T>> more) {
    elements.addAll(more);
  }

  /** The earliest timestamp held back, or {@link Watermarks#MAX} when nothing is. */
  long earliestTimestamp() {
    long earliest = Watermarks.MAX;
    for (WindowedValue<T> element : elements) {
      earliest = Math.min(earliest, element.getTimestamp().getMillis());
    }
    return earliest;
  }
}
