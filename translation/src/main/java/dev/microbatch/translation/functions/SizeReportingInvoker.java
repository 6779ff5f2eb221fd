package dev.microbatch.translation.functions;

import java.util.Map;
import org.apache.beam.runners.core.SideInputReader;
import org.apache.beam.runners.core.SplittableProcessElementInvoker;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.reflect.DoFnInvoker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimator;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;

/**
 * Runs one process call of a splittable DoFn through another invoker, then sizes the residual
 * restriction it left with the DoFn's {@code @GetSize} (or, without one, its tracker's remaining
 * work), so that the stage can report the work still outstanding. A finished restriction has size
 * 0.
 */
final class SizeReportingInvoker<InT, OutT, R, P, W>
    extends SplittableProcessElementInvoker<InT, OutT, R, P, W> {
  private final SplittableProcessElementInvoker<InT, OutT, R, P, W> delegate;
  private final PipelineOptions options;
  private final SideInputReader sideInputs;
  private boolean invoked;
  private long residualSize;

  SizeReportingInvoker(
      SplittableProcessElementInvoker<InT, OutT, R, P, W> delegate,
      PipelineOptions options,
      SideInputReader sideInputs) {
    this.delegate = delegate;
    this.options = options;
    this.sideInputs = sideInputs;
  }

  @Override
  public Result invokeProcessElement(
      DoFnInvoker<InT, OutT> invoker,
      WindowedValue<InT> element,
      RestrictionTracker<R, P> tracker,
      WatermarkEstimator<W> watermarkEstimator,
      Map<String, PCollectionView<?>> sideInputMapping) {
    Result result =
        delegate.invokeProcessElement(
            invoker, element, tracker, watermarkEstimator, sideInputMapping);
    R residual = result.getResidualRestriction();
    residualSize =
        residual == null ? 0 : sizeOf(invoker, element, residual, sideInputMapping);
    invoked = true;
    return result;
  }

  /** Forgets the last call, before the next work item. */
  void reset() {
    invoked = false;
    residualSize = 0;
  }

  /** Whether a process call ran since {@link #reset()}. */
  boolean invoked() {
    return invoked;
  }

  /** The size of the residual of the last process call, rounded up; 0 when it finished. */
  long residualSize() {
    return residualSize;
  }

  private long sizeOf(
      DoFnInvoker<InT, OutT> invoker,
      WindowedValue<InT> element,
      R restriction,
      Map<String, PCollectionView<?>> sideInputMapping) {
    BoundedWindow window = element.getWindows().iterator().next();
    DoFnInvoker.BaseArgumentProvider<InT, OutT> arguments =
        new DoFnInvoker.BaseArgumentProvider<>() {
          @Override
          public InT element(DoFn<InT, OutT> doFn) {
            return element.getValue();
          }

          @Override
          public Object restriction() {
            return restriction;
          }

          @Override
          public RestrictionTracker<?, ?> restrictionTracker() {
            return invoker.invokeNewTracker(this);
          }

          @Override
          public Instant timestamp(DoFn<InT, OutT> doFn) {
            return element.getTimestamp();
          }

          @Override
          public BoundedWindow window() {
            return window;
          }

          @Override
          public PaneInfo paneInfo(DoFn<InT, OutT> doFn) {
            return element.getPaneInfo();
          }

          @Override
          public PipelineOptions pipelineOptions() {
            return options;
          }

          @Override
          public Object sideInput(String tagId) {
            PCollectionView<?> view = sideInputMapping.get(tagId);
            return sideInputs.get(view, view.getWindowMappingFn().getSideInputWindow(window));
          }

          @Override
          public String getErrorContext() {
            return "sizing the residual restriction of a splittable DoFn";
          }
        };
    return (long) Math.ceil(invoker.invokeGetSize(arguments));
  }
}
