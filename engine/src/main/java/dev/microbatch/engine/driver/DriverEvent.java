package dev.microbatch.engine.driver;

import dev.microbatch.engine.dstream.BatchContext;
import dev.microbatch.engine.exec.BatchResult;

/** The events the driver thread consumes; the driver is the only owner of engine control state. */
sealed interface DriverEvent {

  /** Time to generate a batch (from the batch timer, or at once when work is ready). */
  record GenerateBatch(long time) implements DriverEvent {}

  /** A batch began running on the batch thread. */
  record BatchStarted(BatchContext batch, long startedAt) implements DriverEvent {}

  /** A batch finished running: with a result to commit, or with the failure that ended it. */
  record BatchFinished(BatchContext batch, BatchResult result, Throwable failure)
      implements DriverEvent {}

  /** The checkpoint of a committed batch is durable, or failed to be written. */
  record CheckpointDurable(long batchId, Throwable failure) implements DriverEvent {}

  /** Stop: gracefully after the running batch, or at once. */
  record Stop(boolean graceful) implements DriverEvent {}
}
