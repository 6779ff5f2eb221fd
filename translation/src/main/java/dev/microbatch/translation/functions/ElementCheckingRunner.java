package dev.microbatch.translation.functions;

import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.IllegalMutationException;
import org.apache.beam.sdk.util.MutationDetector;
import org.apache.beam.sdk.util.MutationDetectors;
import org.apache.beam.sdk.values.CausedByDrain;
import org.apache.beam.sdk.values.WindowedValue;
import org.joda.time.Instant;

/**
 * A DoFn runner that checks, element by element, what Beam's model asks of user code (the opt-in
 * {@code ElementChecks}): with immutability on, the DoFn must leave each input element as it got
 * it; after every call into the DoFn, its outputs are checked by {@link OutputChecks} (encodable,
 * and unchanged since they were output). Failures name the step.
 */
final class ElementCheckingRunner<InT, OutT> implements DoFnRunner<InT, OutT> {
  private final DoFnRunner<InT, OutT> delegate;
  private final Coder<WindowedValue<InT>> inputCoder;
  private final OutputChecks outputs;
  private final String step;

  ElementCheckingRunner(
      DoFnRunner<InT, OutT> delegate,
      Coder<WindowedValue<InT>> inputCoder,
      OutputChecks outputs,
      String step) {
    this.delegate = delegate;
    this.inputCoder = inputCoder;
    this.outputs = outputs;
    this.step = step;
  }

  @Override
  public void startBundle() {
    delegate.startBundle();
    outputs.verify();
  }

  @Override
  public void processElement(WindowedValue<InT> element) {
    if (!outputs.immutability()) {
      delegate.processElement(element);
      outputs.verify();
      return;
    }
    MutationDetector input;
    try {
      input = MutationDetectors.forValueWithCoder(element, inputCoder);
    } catch (CoderException e) {
      throw new IllegalArgumentException(
          "Step " + step + " received an element its input coder " + inputCoder
              + " cannot encode: " + element,
          e);
    }
    delegate.processElement(element);
    try {
      input.verifyUnmodified();
    } catch (IllegalMutationException e) {
      throw new IllegalMutationException(
          "Step " + step + " mutated its input element " + e.getSavedValue()
              + " (now " + e.getNewValue() + "): a DoFn must not change the elements it is given",
          e.getSavedValue(),
          e.getNewValue(),
          e);
    }
    outputs.verify();
  }

  @Override
  public <KeyT> void onTimer(
      String timerId,
      String timerFamilyId,
      KeyT key,
      BoundedWindow window,
      Instant timestamp,
      Instant outputTimestamp,
      TimeDomain timeDomain,
      CausedByDrain causedByDrain) {
    delegate.onTimer(
        timerId, timerFamilyId, key, window, timestamp, outputTimestamp, timeDomain, causedByDrain);
    outputs.verify();
  }

  @Override
  public void finishBundle() {
    delegate.finishBundle();
    outputs.verify();
  }

  @Override
  public <KeyT> void onWindowExpiration(BoundedWindow window, Instant timestamp, KeyT key) {
    delegate.onWindowExpiration(window, timestamp, key);
    outputs.verify();
  }

  @Override
  public DoFn<InT, OutT> getFn() {
    return delegate.getFn();
  }
}
