package dev.microbatch.engine.state;

/**
 * A stateful stage partition's state that can say how big it is and what it fired, for the batch
 * report (the UI, metrics). Called by the partition's own task, after its work in a batch.
 */
public interface ObservableState {
  /** Keys that have state. */
  long stateKeys();

  /** The state's bytes, encoded. */
  long stateBytes();

  /** Timers fired since the previous call; the count starts again at zero. */
  long takeTimersFired();
}
