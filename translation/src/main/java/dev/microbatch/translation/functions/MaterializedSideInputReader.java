package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.io.beam.BeamTime;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.runners.core.LateDataUtils;
import org.apache.beam.runners.core.ReadyCheckingSideInputReader;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Reads side inputs from their streams' data in the current batch: a batch materializes a side
 * input's stream, and computes its watermark, before any task of a stream that reads it runs. In a
 * bounded pipeline that data is complete; in a streaming one it is everything the view has
 * accumulated so far, and a window is ready once it has a pane or can no longer get one.
 *
 * <p>One reader serves one task, on its thread. Views are looked up by tag: the view a DoFn asks
 * for is often a deserialized copy, which no longer knows its PCollection, so the translation-time
 * view is used to build the value.
 */
final class MaterializedSideInputReader implements ReadyCheckingSideInputReader {
  private final Map<TupleTag<?>, SideInputStream> sideInputs;
  private final TaskContext task;
  // The batch's materializations this task has used: a ParDo reads its side input per element,
  // and the batch-wide lookup (a concurrent map, a key object) cost more than the read itself.
  private final Map<TupleTag<?>, ViewMaterialization> used = new HashMap<>();

  /** A side input view as the pipeline declared it, and the stream of its PCollection. */
  record SideInputStream(PCollectionView<?> view, DStream<WindowedValue<?>> stream) {}

  MaterializedSideInputReader(Map<TupleTag<?>, SideInputStream> sideInputs, TaskContext task) {
    this.sideInputs = sideInputs;
    this.task = task;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(PCollectionView<T> view, BoundedWindow window) {
    return (T) materialization(view).valueIn(window);
  }

  /**
   * A side-input window is ready once a pane of it has arrived (so a triggered view can be read
   * before its window closes), or, while it has none, once the view's watermark is past the time
   * by which the view's trigger must have fired a pane of it (see {@link #emptyUntil}).
   */
  @Override
  public boolean isReady(PCollectionView<?> view, BoundedWindow sideInputWindow) {
    if (materialization(view).hasValuesIn(sideInputWindow)) {
      return true;
    }
    long watermark = task.outputWatermark(sideInput(view).stream());
    return watermark == Watermarks.MAX || watermark > emptyUntil(view, sideInputWindow);
  }

  /**
   * The latest watermark at which a window of the view without a pane may still get one: when
   * the view's trigger guarantees a firing (the window's end for the default trigger), or at the
   * latest when the window expires. Passing only the window's end is not enough: a view whose
   * trigger fires just once at expiration (such as {@code Wait.on}'s, {@code Never.ever()} with
   * allowed lateness) still receives late data of the window until then.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private long emptyUntil(PCollectionView<?> view, BoundedWindow sideInputWindow) {
    WindowingStrategy strategy = sideInput(view).view().getWindowingStrategyInternal();
    Instant expiry = LateDataUtils.garbageCollectionTime(sideInputWindow, strategy);
    Instant guaranteedFiring =
        strategy.getTrigger().getWatermarkThatGuaranteesFiring(sideInputWindow);
    return BeamTime.toEngine(guaranteedFiring.isBefore(expiry) ? guaranteedFiring : expiry);
  }

  private ViewMaterialization materialization(PCollectionView<?> view) {
    ViewMaterialization materialization = used.get(view.getTagInternal());
    if (materialization == null) {
      SideInputStream sideInput = sideInput(view);
      materialization =
          task.batchShared(
              new SharedKey(view.getTagInternal()),
              () -> new ViewMaterialization(sideInput.view(), task.materialized(sideInput.stream())));
      used.put(view.getTagInternal(), materialization);
    }
    return materialization;
  }

  private SideInputStream sideInput(PCollectionView<?> view) {
    SideInputStream sideInput = sideInputs.get(view.getTagInternal());
    if (sideInput == null) {
      throw new IllegalArgumentException("Unknown side input " + view);
    }
    return sideInput;
  }

  /** The side input streams of a ParDo by view tag. */
  static Map<TupleTag<?>, SideInputStream> byTag(
      Map<PCollectionView<?>, DStream<WindowedValue<?>>> streams) {
    Map<TupleTag<?>, SideInputStream> byTag = new HashMap<>();
    streams.forEach(
        (view, stream) -> byTag.put(view.getTagInternal(), new SideInputStream(view, stream)));
    return byTag;
  }

  @Override
  public <T> boolean contains(PCollectionView<T> view) {
    return sideInputs.containsKey(view.getTagInternal());
  }

  @Override
  public boolean isEmpty() {
    return sideInputs.isEmpty();
  }

  /** Keys the batch-shared materialization of a view. */
  private record SharedKey(TupleTag<?> tag) {}
}
