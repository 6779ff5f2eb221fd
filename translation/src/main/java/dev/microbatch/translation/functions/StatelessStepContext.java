package dev.microbatch.translation.functions;

import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StepContext;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The step context of a ParDo without state or timers (the translation routes others to the
 * stateful path); it offers the bundle finalizer, if the bundle has one.
 */
final class StatelessStepContext implements StepContext {
  private final DoFn.BundleFinalizer finalizer;

  StatelessStepContext(DoFn.BundleFinalizer finalizer) {
    this.finalizer = finalizer;
  }

  @Override
  public DoFn.BundleFinalizer bundleFinalizer() {
    return finalizer;
  }

  @Override
  public StateInternals stateInternals() {
    throw new UnsupportedOperationException(
        "Internal error: a stateless ParDo asked for state; the capability check should have refused it.");
  }

  @Override
  public TimerInternals timerInternals() {
    throw new UnsupportedOperationException(
        "Internal error: a stateless ParDo asked for timers; the capability check should have refused it.");
  }
}
