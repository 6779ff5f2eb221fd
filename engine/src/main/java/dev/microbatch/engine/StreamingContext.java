package dev.microbatch.engine;

import dev.microbatch.engine.checkpoint.CheckpointConfig;
import dev.microbatch.engine.config.EngineConfig;
import dev.microbatch.engine.driver.ContextState;
import dev.microbatch.engine.driver.Driver;
import dev.microbatch.engine.driver.Termination;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.QueueInputDStream;
import dev.microbatch.engine.dstream.StreamGraph;
import dev.microbatch.engine.dstream.StreamOwner;
import dev.microbatch.engine.listener.BatchListener;
import dev.microbatch.engine.listener.BatchLog;
import dev.microbatch.engine.metrics.Accumulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of the engine: build a graph of {@link DStream}s on it, then {@link #start()}
 * it. A context runs once: started, then stopped (by {@link #stop}, by finishing its finite
 * inputs, or by a failure).
 */
public final class StreamingContext implements StreamOwner {
  private final String name;
  private EngineConfig config;
  private final StreamGraph graph = new StreamGraph();
  private final List<BatchListener> listeners = new ArrayList<>();
  private final List<AutoCloseable> closeHooks = new ArrayList<>();
  private final List<Accumulator<?>> accumulators = new ArrayList<>();
  private final Termination termination = new Termination();
  private Driver driver;

  public StreamingContext(String name, EngineConfig config) {
    this.name = name;
    this.config = config;
  }

  public synchronized EngineConfig config() {
    return config;
  }

  /**
   * Turns checkpoints on (or, with null, off) before the context starts: APIs that, like Spark's,
   * name the checkpoint directory after building the graph.
   */
  public synchronized void setCheckpoint(CheckpointConfig checkpoint) {
    checkNotStarted("set its checkpoint directory");
    config = config.withCheckpoint(checkpoint);
  }

  @Override
  public StreamGraph graph() {
    return graph;
  }

  @Override
  public synchronized int parallelism() {
    return config.parallelism();
  }

  /** An input of the given batches, one per engine batch; finite inputs end the stream after them. */
  public <T> QueueInputDStream<T> queueStream(List<List<T>> batches, boolean finite) {
    return new QueueInputDStream<>(this, batches, finite);
  }

  /** A stream that never has data. */
  public <T> DStream<T> emptyStream() {
    return queueStream(List.of(), true);
  }

  public synchronized void addBatchListener(BatchListener listener) {
    checkNotStarted("add a batch listener");
    listeners.add(listener);
  }

  /** Registers something to close once the engine has stopped, such as user code instances. */
  public synchronized void addCloseHook(AutoCloseable hook) {
    checkNotStarted("add a close hook");
    closeHooks.add(hook);
  }

  /**
   * Registers an accumulator whose committed value checkpoints save and restores bring back (one
   * with a codec, see {@link Accumulator#isCheckpointed}).
   */
  public synchronized void registerAccumulator(Accumulator<?> accumulator) {
    checkNotStarted("register an accumulator");
    accumulators.add(accumulator);
  }

  /** How many times a failed batch was rolled back and run again; 0 before start. */
  public synchronized long retriedBatches() {
    return driver == null ? 0 : driver.retries();
  }

  public synchronized void start() {
    checkNotStarted("start it");
    List<BatchListener> all = new ArrayList<>();
    all.add(new BatchLog(name, config.batchInterval().toMillis()));
    all.addAll(listeners);
    Driver starting = new Driver(name, config, graph, all, closeHooks, accumulators, termination);
    // A restore that fails leaves the context unstarted: nothing ran.
    starting.start();
    driver = starting;
  }

  /**
   * Stops the context and waits until it has stopped. A graceful stop lets the running batch
   * finish and commit; otherwise the running batch is abandoned (it commits nothing).
   */
  public void stop(boolean graceful) {
    Driver current;
    synchronized (this) {
      current = driver;
    }
    if (current == null) {
      throw new IllegalStateException("The context " + name + " was never started.");
    }
    current.requestStop(graceful);
    if (!current.isDriverThread()) {
      awaitQuietly();
    }
  }

  /** Asks the context to stop (see {@link #stop}) without waiting for it. */
  public void requestStop(boolean graceful) {
    Driver current;
    synchronized (this) {
      current = driver;
    }
    if (current != null) {
      current.requestStop(graceful);
    }
  }

  /**
   * Waits until the context stops.
   *
   * @throws StreamingFailedException if a batch failed; its cause is the original exception
   */
  public void awaitTermination() {
    awaitQuietly();
    rethrowFailure();
  }

  /**
   * Waits at most {@code timeout} for the context to stop.
   *
   * @return true if it stopped
   * @throws StreamingFailedException if a batch failed
   */
  public boolean awaitTermination(Duration timeout) {
    if (!awaitStopped(timeout)) {
      return false;
    }
    rethrowFailure();
    return true;
  }

  /**
   * Waits at most {@code timeout} for the context to stop, without throwing its failure (see
   * {@link #failure()}).
   *
   * @return true if it stopped
   */
  public boolean awaitStopped(Duration timeout) {
    try {
      return termination.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public ContextState state() {
    return termination.state();
  }

  /** The exception that failed the context, or null. */
  public Throwable failure() {
    return termination.failure();
  }

  private void awaitQuietly() {
    try {
      termination.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrowFailure() {
    Throwable failure = termination.failure();
    if (failure != null) {
      throw new StreamingFailedException(failure);
    }
  }

  private void checkNotStarted(String action) {
    if (driver != null) {
      throw new IllegalStateException(
          "The context " + name + " has already started; " + action + " before start().");
    }
  }

  @Override
  public String toString() {
    return "StreamingContext(" + name + ", " + config + ")";
  }
}
