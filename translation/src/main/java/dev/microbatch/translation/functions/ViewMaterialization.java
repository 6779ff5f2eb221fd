package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.Partitions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.core.InMemoryMultimapSideInputView;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Materializations;
import org.apache.beam.sdk.transforms.ViewFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * One side input's data in one batch, indexed by window, and the view values built from it. Built
 * once per batch and shared by that batch's tasks, so it is safe for concurrent reads.
 */
final class ViewMaterialization {
  private final PCollectionView<?> view;
  private final Map<BoundedWindow, List<Object>> valuesByWindow = new HashMap<>();
  private final Map<BoundedWindow, ViewValue> viewValues = new ConcurrentHashMap<>();

  /** A built view value; a record so that null values can be cached. */
  private record ViewValue(Object value) {}

  ViewMaterialization(PCollectionView<?> view, Partitions<WindowedValue<?>> data) {
    this.view = view;
    for (List<WindowedValue<?>> partition : data.partitions()) {
      for (WindowedValue<?> element : partition) {
        for (BoundedWindow window : element.getWindows()) {
          valuesByWindow.computeIfAbsent(window, w -> new ArrayList<>()).add(element.getValue());
        }
      }
    }
  }

  /** Whether any value (or pane, in a streaming pipeline) has arrived in {@code sideInputWindow}. */
  boolean hasValuesIn(BoundedWindow sideInputWindow) {
    return valuesByWindow.containsKey(sideInputWindow);
  }

  /** The view's value in {@code sideInputWindow}, built on first use. */
  Object valueIn(BoundedWindow sideInputWindow) {
    return viewValues.computeIfAbsent(sideInputWindow, w -> new ViewValue(build(w))).value();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object build(BoundedWindow window) {
    List<Object> values = valuesByWindow.getOrDefault(window, List.of());
    ViewFn viewFn = view.getViewFn();
    String urn = viewFn.getMaterialization().getUrn();
    if (Materializations.ITERABLE_MATERIALIZATION_URN.equals(urn)) {
      Materializations.IterableView<Object> iterable = () -> values;
      return viewFn.apply(iterable);
    }
    if (Materializations.MULTIMAP_MATERIALIZATION_URN.equals(urn)) {
      Coder<?> coder = view.getPCollection().getCoder();
      if (!(coder instanceof KvCoder)) {
        throw new IllegalStateException(
            "A multimap side input needs a PCollection of KVs with a KvCoder, but "
                + view.getPCollection()
                + " has coder "
                + coder);
      }
      Coder keyCoder = ((KvCoder) coder).getKeyCoder();
      return viewFn.apply(
          InMemoryMultimapSideInputView.fromIterable(keyCoder, (List<KV<Object, Object>>) (List) values));
    }
    throw new UnsupportedOperationException(
        "Side input " + view.getTagInternal().getId() + " uses materialization " + urn
            + ", which MicroBatchRunner does not support.");
  }
}
