package dev.microbatch.translation.functions;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;

/**
 * Merges all of one key's windows at once, as Beam's {@code ReduceFnRunner} does for a bundle
 * holding all of the key's elements: one call of the window function's {@code mergeWindows} over
 * every window, each window mapped to the window it merged into (or to itself).
 */
final class BatchWindowMerging {
  private BatchWindowMerging() {}

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
