package dev.microbatch.translation.functions;

import dev.microbatch.engine.event.Watermarks;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.WindowedValue;

/** The elements one partition of a streaming ParDo holds back until their side inputs are ready. */
public final class PushbackBuffer<T> {
  private List<WindowedValue<T>> elements = new ArrayList<>();

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
