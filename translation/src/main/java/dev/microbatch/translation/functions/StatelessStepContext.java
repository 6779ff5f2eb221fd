package dev.microbatch.translation.functions;

import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StepContext;
import org.apache.beam.runners.core.TimerInternals;

/** The step context of a ParDo without state or timers; the capability check keeps others out. */
final class StatelessStepContext implements StepContext {
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
