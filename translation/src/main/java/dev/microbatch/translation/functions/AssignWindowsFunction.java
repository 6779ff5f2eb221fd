package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.PartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Instant;

/**
 * Window.into: gives each element the windows its WindowFn assigns; a fused narrow operation. An
 * element in several windows is assigned once per window it was in, as Beam's model requires.
 */
public final class AssignWindowsFunction<T, W extends BoundedWindow>
    implements PartitionFunction<WindowedValue<T>, WindowedValue<T>> {
  private final WindowFn<T, W> windowFn;

  public AssignWindowsFunction(WindowFn<T, W> windowFn) {
    this.windowFn = windowFn;
  }

  @Override
  public Iterator<WindowedValue<T>> apply(Iterator<WindowedValue<T>> input, TaskContext task) {
    return new Iterator<>() {
      private final ArrayDeque<WindowedValue<T>> pending = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (pending.isEmpty() && input.hasNext()) {
          WindowedValue<T> element = input.next();
          for (BoundedWindow window : element.getWindows()) {
            pending.add(assign(element, window));
          }
        }
        return !pending.isEmpty();
      }

      @Override
      public WindowedValue<T> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.poll();
      }
    };
  }

  private WindowedValue<T> assign(WindowedValue<T> element, BoundedWindow window) {
    Collection<W> windows;
    try {
      windows = windowFn.assignWindows(contextFor(element, window));
    } catch (Exception e) {
      throw new IllegalStateException(
          "The WindowFn " + windowFn + " failed to assign windows to " + element, e);
    }
    return WindowedValues.of(
        element.getValue(), element.getTimestamp(), windows, element.getPaneInfo());
  }

  private WindowFn<T, W>.AssignContext contextFor(WindowedValue<T> element, BoundedWindow window) {
    return windowFn.new AssignContext() {
      @Override
      public T element() {
        return element.getValue();
      }

      @Override
      public Instant timestamp() {
        return element.getTimestamp();
      }

      @Override
      public BoundedWindow window() {
        return window;
      }
    };
  }
}
