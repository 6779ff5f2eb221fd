package dev.microbatch.translation.functions;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * Merges all of one key's windows at once, as Beam's {@code ReduceFnRunner} does for a bundle
 * holding all of the key's elements: one call of the window function's {@code mergeWindows} over
 * every window, each window mapped to the window it merged into (or to itself).
 */
final class BatchWindowMerging {
  private BatchWindowMerging() {}

  /** Merges the windows of all of {@code elements}. */
  @SuppressWarnings("unchecked")
  static <W extends BoundedWindow> Map<W, W> mergeAllOf(
      WindowFn<?, W> windowFn, List<? extends WindowedValue<?>> elements) throws Exception {
    Set<W> windows = new LinkedHashSet<>();
    for (WindowedValue<?> element : elements) {
      for (BoundedWindow window : element.getWindows()) {
        windows.add((W) window);
      }
    }
    return mergeAll(windowFn, windows);
  }

  @SuppressWarnings("unchecked")
  static <W extends BoundedWindow> Map<W, W> mergeAll(WindowFn<?, W> windowFn, Set<W> windows) throws Exception {
    WindowFn<Object, W> fn = (WindowFn<Object, W>) windowFn;
    Map<W, W> mergedInto = new HashMap<>();
    fn.mergeWindows(
        fn.new MergeContext() {
          @Override
          public Collection<W> windows() {
            return windows;
          }

          @Override
          public void merge(Collection<W> toBeMerged, W mergeResult) {
            for (W window : toBeMerged) {
              mergedInto.put(window, mergeResult);
            }
          }
        });
    Map<W, W> result = new HashMap<>();
    for (W window : windows) {
      result.put(window, mergedInto.getOrDefault(window, window));
    }
    return result;
  }
}
