package dev.microbatch.runner;

import java.net.URI;
import java.util.Optional;
import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.driver.ContextState;
import dev.microbatch.translation.metrics.BeamMetrics;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.util.UserCodeException;
import org.joda.time.Duration;

/** The handle on a running pipeline: its state, its metrics, waiting and cancelling. */
final class MicroBatchPipelineResult implements PipelineResult {
  private final StreamingContext engine;
  private final BeamMetrics metrics;
  private final boolean gracefulCancel;
  private volatile boolean cancelled;
  private volatile URI ui;

  /**
   * @param gracefulCancel whether {@link #cancel} lets the running batch finish (and the engine
   *     write a final checkpoint) instead of abandoning it
   */
  MicroBatchPipelineResult(StreamingContext engine, BeamMetrics metrics, boolean gracefulCancel) {
    this.engine = engine;
    this.metrics = metrics;
    this.gracefulCancel = gracefulCancel;
  }

  /** Where the pipeline's UI listens, if it has one (see {@code --ui}). */
  Optional<URI> uiAddress() {
    return Optional.ofNullable(ui);
  }

  void uiAt(URI address) {
    this.ui = address;
  }

  @Override
  public State getState() {
    ContextState state = engine.state();
    return switch (state) {
      case INITIALIZED, ACTIVE -> State.RUNNING;
      case STOPPED -> cancelled ? State.CANCELLED : State.DONE;
      case FAILED -> State.FAILED;
    };
  }

  @Override
  public State cancel() {
    if (!engine.state().isTerminal()) {
      cancelled = true;
      engine.stop(gracefulCancel);
    }
    return getState();
  }

  /**
   * Waits at most {@code duration} (forever if it is zero or negative).
   *
   * @return the final state, or {@link State#RUNNING} if the pipeline is still running
   * @throws PipelineExecutionException if the pipeline failed; its cause is the user's exception
   */
  @Override
  public State waitUntilFinish(Duration duration) {
    if (duration.getMillis() <= 0) {
      return waitUntilFinish();
    }
    boolean finished = engine.awaitStopped(java.time.Duration.ofMillis(duration.getMillis()));
    if (!finished) {
      return State.RUNNING;
    }
    return finalState();
  }

  /**
   * Waits until the pipeline stops. If the waiting thread is interrupted, returns the current
   * state ({@link State#RUNNING}) at once, leaving the thread's interrupt flag set.
   */
  @Override
  public State waitUntilFinish() {
    while (!engine.awaitStopped(java.time.Duration.ofDays(1))) {
      if (Thread.currentThread().isInterrupted()) {
        return getState();
      }
    }
    return finalState();
  }

  @Override
  public MetricResults metrics() {
    return metrics.results();
  }

  private State finalState() {
    Throwable failure = engine.failure();
    if (failure != null) {
      throw new PipelineExecutionException(unwrap(failure));
    }
    return getState();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof UserCodeException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
