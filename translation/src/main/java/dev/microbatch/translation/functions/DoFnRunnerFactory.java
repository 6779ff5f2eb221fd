package dev.microbatch.translation.functions;

import java.util.List;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.runners.core.DoFnRunners;
import org.apache.beam.runners.core.SideInputReader;
import org.apache.beam.runners.core.StepContext;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/** Builds Beam's simple DoFn runner for one bundle of a ParDo (checking elements if asked to). */
final class DoFnRunnerFactory {
  private DoFnRunnerFactory() {}

  static <InT, OutT> DoFnRunner<InT, OutT> create(
      ParDoSpec spec,
      PipelineOptions options,
      DoFn<InT, OutT> instance,
      SideInputReader sideInputs,
      BufferingOutputManager outputs,
      BundleFinalization finalization) {
    return create(
        spec,
        options,
        instance,
        sideInputs,
        outputs,
        new StatelessStepContext(finalization.finalizer()));
  }

  /** A runner whose DoFn reaches state and timers through {@code step}. */
  @SuppressWarnings("unchecked")
  static <InT, OutT> DoFnRunner<InT, OutT> create(
      ParDoSpec spec,
      PipelineOptions options,
      DoFn<InT, OutT> instance,
      SideInputReader sideInputs,
      BufferingOutputManager outputs,
      StepContext step) {
    List<TupleTag<?>> additionalOutputTags =
        spec.outputTags().subList(1, spec.outputTags().size());
    DoFnRunner<InT, OutT> runner = DoFnRunners.simpleRunner(
        options,
        instance,
        sideInputs,
        outputs,
        (TupleTag<OutT>) spec.mainOutputTag(),
        additionalOutputTags,
        step,
        (Coder<InT>) spec.inputCoder(),
        spec.outputCoders(),
        spec.windowingStrategy(),
        spec.schemaInformation(),
        spec.sideInputMapping());
    OutputChecks checks = outputs.checks();
    if (checks == null) {
      return runner;
    }
    Coder<WindowedValue<InT>> inputCoder =
        WindowedValues.getFullCoder(
            (Coder<InT>) spec.inputCoder(), spec.windowingStrategy().getWindowFn().windowCoder());
    return new ElementCheckingRunner<>(runner, inputCoder, checks, spec.stepName());
  }
}
