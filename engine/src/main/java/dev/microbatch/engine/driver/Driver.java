package dev.microbatch.engine.driver;

import dev.microbatch.engine.config.EngineConfig;
import dev.microbatch.engine.dstream.BatchContext;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.StreamGraph;
import dev.microbatch.engine.event.WatermarkSnapshot;
import dev.microbatch.engine.exec.BatchJob;
import dev.microbatch.engine.exec.BatchResult;
import dev.microbatch.engine.exec.Failures;
import dev.microbatch.engine.exec.StageFailedException;
import dev.microbatch.engine.exec.WorkerPool;
import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.BatchListener;
import dev.microbatch.engine.listener.CheckpointInfo;
import dev.microbatch.engine.metrics.Accumulator;
import dev.microbatch.engine.recovery.CheckpointCoordinator;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The single thread that owns the engine's control state. It generates batches, hands each to the
 * batch thread (one batch runs at a time, so batches commit strictly in order), commits results,
 * informs listeners, and stops the engine. Batches are generated at each batch interval, and at
 * once, back to back, while some input has data ready.
 */
public final class Driver {
  private static final Logger LOG = LoggerFactory.getLogger(Driver.class);
  // Backpressure never throttles an input partition below this many records per batch.
  private static final long MINIMUM_RECORDS_PER_PARTITION = 100;

  private final String name;
  private final EngineConfig config;
  private final StreamGraph graph;
  private final GraphProgress progress;
  private final List<BatchListener> listeners;
  private final List<AutoCloseable> closeHooks;
  private final List<Accumulator<?>> accumulators;
  private final Termination termination;
  private final BlockingQueue<DriverEvent> events = new LinkedBlockingQueue<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final Thread thread;
  private WorkerPool pool;
  private ExecutorService batchThread;
  private BatchTimer timer;
  private BatchJob job;

  // Control state, touched only by the driver thread.
  private long lastBatchId;
  // The newest batch covered by a durable checkpoint (or committed, without checkpoints).
  private long stableThrough;
  private long lastBatchTime = Long.MIN_VALUE;
  private BatchInfo running;
  private boolean generatePending;
  private boolean stopAfterBatch;
  private boolean drainLaunched;
  private boolean finished;
  private WatermarkSnapshot watermarks = WatermarkSnapshot.EMPTY;
  private RateController rates;
  private int attempt = 1;
  private volatile long retries;
  private long lastCommittedBatch = -1;
  private long lastCommittedBatchTime;
  private CheckpointCoordinator checkpoints;
  private final AfterCommitActions afterCommit;

  public Driver(
      String name,
      EngineConfig config,
      StreamGraph graph,
      List<BatchListener> listeners,
      List<AutoCloseable> closeHooks,
      List<Accumulator<?>> accumulators,
      Termination termination) {
    this.name = name;
    this.config = config;
    this.graph = graph;
    this.progress = new GraphProgress(graph);
    this.listeners = List.copyOf(listeners);
    this.closeHooks = List.copyOf(closeHooks);
    this.accumulators = List.copyOf(accumulators);
    this.afterCommit = new AfterCommitActions(name);
    this.termination = termination;
    this.thread = new Thread(this::loop, name + "-driver");
    this.thread.setDaemon(true);
  }

  /**
   * Starts the engine; with checkpoints on, first restores the newest checkpoint.
   *
   * @throws IllegalStateException if the checkpoint cannot be restored (corrupt, written by another
   *     pipeline, or its directory has a live writer): before any batch runs
   */
  public void start() {
    graph.freeze();
    if (config.checkpoint() != null) {
      restore();
    }
    pool = new WorkerPool(name, config.parallelism());
    batchThread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name + "-batch");
              t.setDaemon(true);
              return t;
            });
    job = new BatchJob(graph, pool, config.parallelism(), config.clock());
    rates =
        new RateController(
            config.batchInterval().toMillis(), config.parallelism(), MINIMUM_RECORDS_PER_PARTITION);
    timer =
        new BatchTimer(
            name,
            config.clock(),
            config.batchInterval().toMillis(),
            time -> post(new DriverEvent.GenerateBatch(time)));
    termination.activate();
    LOG.info(
        "{}: starting, {} partitions, batch interval {} ms",
        name,
        config.parallelism(),
        config.batchInterval().toMillis());
    thread.start();
    timer.start();
    if (config.stopWhenInputsExhausted() || progress.anyInputReady()) {
      post(new DriverEvent.GenerateBatch(config.clock().millis()));
    }
  }

  private void restore() {
    checkpoints =
        new CheckpointCoordinator(
            name, config.checkpoint(), config.parallelism(), config.clock(), graph, accumulators,
            this::notifyCheckpointed);
    try {
      Optional<CheckpointCoordinator.Restored> restored = checkpoints.start();
      restored.ifPresent(
          r -> {
            lastBatchId = r.batchId();
            lastCommittedBatch = r.batchId();
            stableThrough = r.batchId();
            lastBatchTime = r.batchTime();
            lastCommittedBatchTime = r.batchTime();
            watermarks = new WatermarkSnapshot(r.watermarks());
            forEachListener(l -> l.onCheckpointRestored(r.batchId(), r.batchTime()));
          });
    } catch (IOException | RuntimeException e) {
      try {
        checkpoints.close();
      } catch (IOException | RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw new IllegalStateException(
          name + ": cannot start from checkpoint directory " + config.checkpoint().location() + ": "
              + e.getMessage(),
          e);
    }
  }

  /** How many times a failed batch was rolled back and run again. */
  public long retries() {
    return retries;
  }

  /** Asks the driver to stop; returns at once. */
  public void requestStop(boolean graceful) {
    post(new DriverEvent.Stop(graceful));
  }

  public boolean isDriverThread() {
    return Thread.currentThread() == thread;
  }

  private void post(DriverEvent event) {
    events.add(event);
  }

  private void loop() {
    try {
      while (!finished) {
        handle(events.take());
      }
    } catch (InterruptedException e) {
      finish(e);
    } catch (Throwable t) {
      finish(new IllegalStateException("Internal error in the engine's driver loop.", t));
    }
  }

  private void handle(DriverEvent event) {
    if (event instanceof DriverEvent.GenerateBatch generate) {
      onGenerate(generate.time());
    } else if (event instanceof DriverEvent.BatchStarted started) {
      onStarted(started);
    } else if (event instanceof DriverEvent.BatchFinished done) {
      onFinished(done);
    } else if (event instanceof DriverEvent.CheckpointDurable durable) {
      onCheckpointDurable(durable);
    } else if (event instanceof DriverEvent.Stop stop) {
      onStop(stop.graceful());
    }
  }

  private void onGenerate(long time) {
    if (stopAfterBatch) {
      return;
    }
    if (running != null) {
      generatePending = true;
      return;
    }
    launch(time);
  }

  private void launch(long time) {
    launch(time, rates.limitPerPartition(), false);
  }

  private void launch(long time, long recordLimitPerPartition, boolean draining) {
    // A tick may arrive late (or a manual clock may have jumped past it): never behind the clock.
    long batchTime = Math.max(Math.max(time, config.clock().millis()), lastBatchTime + 1);
    lastBatchTime = batchTime;
    attempt = 1;
    run(
        new BatchContext(
            ++lastBatchId, batchTime, watermarks, recordLimitPerPartition, stableThrough, draining));
  }

  private void run(BatchContext batch) {
    running =
        new BatchInfo(batch.batchId(), batch.batchTime(), config.clock().millis(), -1, -1, -1, -1);
    notifyListeners(running, Phase.SUBMITTED);
    batchThread.execute(
        () -> {
          // The pipeline and batch in the logging context of everything the batch logs (workers
          // take it over from here, see WorkerPool).
          MDC.put("pipeline", name);
          MDC.put("batch", Long.toString(batch.batchId()));
          post(new DriverEvent.BatchStarted(batch, config.clock().millis()));
          try {
            post(new DriverEvent.BatchFinished(batch, job.evaluate(batch, cancelled::get), null));
          } catch (StageFailedException e) {
            if (!cancelled.get()) {
              LOG.error("{}: batch {} failed in {}", name, batch.batchId(), e.stage(), e.getCause());
            }
            post(new DriverEvent.BatchFinished(batch, null, e.getCause()));
          } catch (Throwable t) {
            if (!cancelled.get()) {
              LOG.error("{}: batch {} failed", name, batch.batchId(), t);
            }
            post(new DriverEvent.BatchFinished(batch, null, t));
          } finally {
            MDC.remove("pipeline");
            MDC.remove("batch");
          }
        });
  }

  private void onStarted(DriverEvent.BatchStarted started) {
    BatchInfo info = running;
    running =
        new BatchInfo(
            info.batchId(), info.batchTime(), info.submittedAt(), started.startedAt(), -1, -1, -1);
    notifyListeners(running, Phase.STARTED);
  }

  private void onFinished(DriverEvent.BatchFinished done) {
    BatchInfo info = running;
    running = null;
    if (done.failure() != null) {
      boolean retrying = !cancelled.get() && !stopAfterBatch && attempt < config.maxBatchAttempts();
      if (!cancelled.get()) {
        notifyFailed(info, done.failure(), retrying);
      }
      if (retrying) {
        retry(done.batch(), done.failure());
      } else {
        finish(cancelled.get() ? null : done.failure());
      }
      return;
    }
    BatchResult result = done.result();
    if (checkpoints != null) {
      // The batch has run (its side effects, such as temporary files, are done), not committed.
      config.checkpoint().failpoint().reach("mid-batch");
    }
    try {
      result.commit();
    } catch (RuntimeException e) {
      LOG.error("{}: committing batch {} failed", name, info.batchId(), e);
      finish(e);
      return;
    }
    WatermarkSnapshot previous = watermarks;
    watermarks = watermarks.advancedBy(result.outputWatermarks());
    lastCommittedBatch = info.batchId();
    lastCommittedBatchTime = info.batchTime();
    rates.onBatchCompleted(result.recordsIn(), result.finishedAt() - result.startedAt());
    Throwable afterCommitFailure;
    if (checkpoints == null) {
      stableThrough = info.batchId();
      afterCommitFailure = afterCommit.run(info.batchId(), result.afterCommit());
    } else {
      // Held until a checkpoint covering the batch is durable.
      afterCommit.hold(info.batchId(), result.afterCommit());
      config.checkpoint().failpoint().reach("after-commit");
      afterCommitFailure = checkpointIfDue();
    }
    notifyListeners(
        new BatchInfo(
            info.batchId(),
            info.batchTime(),
            info.submittedAt(),
            result.startedAt(),
            result.finishedAt(),
            result.recordsIn(),
            result.recordsOut(),
            result.stages(),
            result.inputs(),
            result.batch().recordLimitPerPartition()),
        Phase.COMPLETED);
    if (afterCommitFailure != null) {
      finish(afterCommitFailure);
      return;
    }
    boolean exhausted = config.stopWhenInputsExhausted() && progress.allInputsExhausted();
    if (stopAfterBatch && drainBatchDue()) {
      launchDrainBatch();
    } else if (stopAfterBatch || (exhausted && progress.allWatermarksFinal(watermarks))) {
      finish(null);
    } else if (generatePending
        || progress.anyInputReady()
        || (exhausted
            && (!progress.allInputWatermarksFinal(watermarks) || GraphProgress.madeProgress(result, previous, watermarks)))) {
      // Once inputs are exhausted, stages may still hold work (timers, resumed splittable work):
      // run on at once while batches make progress, otherwise at the next interval.
      generatePending = false;
      launch(config.clock().millis());
    }
  }

  /**
   * Rolls back what a failed batch read (its state was rolled back when it failed) and runs the
   * same batch again.
   */
  private void retry(BatchContext batch, Throwable failure) {
    attempt++;
    retries++;
    LOG.warn(
        "{}: batch {} failed; rolling it back and running it again (attempt {} of {}): {}",
        name,
        batch.batchId(),
        attempt,
        config.maxBatchAttempts(),
        failure.toString());
    try {
      for (InputDStream<?> input : graph.inputs()) {
        input.rollBack();
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
      finish(failure);
      return;
    }
    run(batch);
  }

  /**
   * Checkpoints the batch that just committed if a checkpoint is due. Written on the checkpoint
   * thread; the batch's after-commit actions run once it is durable ({@link #onCheckpointDurable}).
   * In the test mode that restores after every batch, writes it at once and reloads everything
   * from it.
   *
   * @return a failure that must end the run, or null
   */
  private Throwable checkpointIfDue() {
    if (!config.checkpoint().restoreEveryBatch() && !checkpoints.isDue()) {
      return null;
    }
    long batchId = lastCommittedBatch;
    try {
      if (config.checkpoint().restoreEveryBatch()) {
        checkpoints.checkpoint(batchId, lastCommittedBatchTime, watermarks.outputs(), pool).join();
        WatermarkSnapshot reloaded = new WatermarkSnapshot(checkpoints.reloadFromDisk());
        if (!reloaded.equals(watermarks)) {
          throw new IllegalStateException(
              "The watermarks read back from the checkpoint of batch " + batchId + " differ from"
                  + " those in memory: " + reloaded + " instead of " + watermarks);
        }
        watermarks = reloaded;
        stableThrough = batchId;
        return afterCommit.runUpTo(batchId);
      }
      checkpoints
          .checkpoint(batchId, lastCommittedBatchTime, watermarks.outputs(), pool)
          .whenComplete((done, failure) -> post(new DriverEvent.CheckpointDurable(batchId, failure)));
      return null;
    } catch (IOException | RuntimeException e) {
      return checkpointFailure(batchId, e);
    }
  }

  private void onCheckpointDurable(DriverEvent.CheckpointDurable durable) {
    if (finished) {
      return;
    }
    if (durable.failure() == null) {
      stableThrough = Math.max(stableThrough, durable.batchId());
    }
    Throwable failure =
        durable.failure() != null
            ? checkpointFailure(durable.batchId(), durable.failure())
            : afterCommit.runUpTo(durable.batchId());
    if (failure != null) {
      finish(failure);
    }
  }

  private Throwable checkpointFailure(long batchId, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    LOG.error("{}: the checkpoint of batch {} failed", name, batchId, cause);
    forEachListener(l -> l.onCheckpointFailed(batchId, cause));
    return cause;
  }

  /**
   * With checkpoints on, before a clean stop: a final checkpoint of the last committed batch
   * (unless one already covers it), durable before the last batches' actions run.
   */
  private Throwable finalCheckpoint() {
    try {
      // The workers have stopped by now: capture on this thread.
      makeLastCommittedDurable(null);
      checkpoints.close();
    } catch (IOException | RuntimeException e) {
      return checkpointFailure(lastCommittedBatch, e);
    }
    return afterCommit.runUpTo(Long.MAX_VALUE);
  }

  private boolean drainBatchDue() {
    return checkpoints != null && graph.drainsOnStop() && !cancelled.get() && !drainLaunched;
  }

  /**
   * A graceful stop of a graph with stages that hold input until it is stable: makes the last
   * committed batch durable now, then runs one batch that reads no input, in which those stages
   * hand on all they hold (Beam's file writes rename their last panes' files). The final
   * checkpoint then covers that batch too.
   */
  private void launchDrainBatch() {
    drainLaunched = true;
    try {
      makeLastCommittedDurable(pool);
    } catch (IOException | RuntimeException e) {
      finish(checkpointFailure(lastCommittedBatch, e));
      return;
    }
    stableThrough = Math.max(stableThrough, lastCommittedBatch);
    Throwable failure = afterCommit.runUpTo(lastCommittedBatch);
    if (failure != null) {
      finish(failure);
      return;
    }
    launch(config.clock().millis(), 0, true);
  }

  /**
   * Waits until a checkpoint covering the last committed batch is durable: writes one unless one
   * captured it, else waits for the one being written. Its failure is thrown, so nothing held for
   * it runs.
   *
   * @param workers where partitions are captured, or null for this thread
   */
  private void makeLastCommittedDurable(WorkerPool workers) throws IOException {
    if (lastCommittedBatch > checkpoints.lastCaptured()) {
      checkpoints.checkpoint(lastCommittedBatch, lastCommittedBatchTime, watermarks.outputs(), workers).join();
    } else {
      checkpoints.newestDurable().join();
    }
  }

  private void onStop(boolean graceful) {
    if (running == null) {
      if (graceful && drainBatchDue()) {
        stopAfterBatch = true;
        launchDrainBatch();
      } else {
        finish(null);
      }
      return;
    }
    stopAfterBatch = true;
    if (!graceful) {
      cancelled.set(true);
    }
  }

  private void finish(Throwable failure) {
    if (finished) {
      return;
    }
    finished = true;
    stopStoppables();
    if (checkpoints != null) {
      failure = failure == null ? finalCheckpoint() : closeCheckpoints(failure);
    }
    // A close hook that fails (a DoFn's teardown, a metrics sink's last push) fails a run that
    // had succeeded; a run that had failed keeps its failure, with the hook's suppressed in it.
    Throwable outcome = failure;
    for (AutoCloseable hook : closeHooks) {
      try {
        hook.close();
      } catch (Exception | Error e) {
        LOG.error("{}: a close hook failed while stopping", name, e);
        outcome = Failures.firstWithSuppressed(outcome, e);
      }
    }
    if (outcome == null) {
      LOG.info("{}: stopped after {} batches", name, lastBatchId);
    } else {
      LOG.error("{}: failed after {} batches: {}", name, lastBatchId, outcome.toString());
    }
    termination.finish(outcome);
  }

  /** After a failure: no final checkpoint; the one being written may still complete. */
  private Throwable closeCheckpoints(Throwable failure) {
    try {
      checkpoints.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  private void stopStoppables() {
    try {
      timer.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    batchThread.shutdownNow();
    try {
      batchThread.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.close();
  }

  private enum Phase {
    SUBMITTED,
    STARTED,
    COMPLETED
  }

  private void notifyCheckpointed(CheckpointInfo info) {
    forEachListener(l -> l.onCheckpointCompleted(info));
  }

  private void forEachListener(java.util.function.Consumer<BatchListener> call) {
    for (BatchListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn("{}: a batch listener failed; ignoring it", name, e);
      }
    }
  }

  private void notifyFailed(BatchInfo info, Throwable failure, boolean retrying) {
    forEachListener(listener -> listener.onBatchFailed(info, failure, retrying));
  }

  private void notifyListeners(BatchInfo info, Phase phase) {
    forEachListener(
        listener -> {
          switch (phase) {
            case SUBMITTED -> listener.onBatchSubmitted(info);
            case STARTED -> listener.onBatchStarted(info);
            case COMPLETED -> listener.onBatchCompleted(info);
          }
        });
  }
}
