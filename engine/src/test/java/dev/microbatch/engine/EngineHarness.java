package dev.microbatch.engine;

import static org.junit.jupiter.api.Assertions.fail;

import dev.microbatch.engine.config.EngineConfig;
import dev.microbatch.engine.driver.ContextState;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.QueueInputDStream;
import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.BatchListener;
import dev.microbatch.engine.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link StreamingContext} on a {@link ManualClock} so that tests decide when batches
 * happen. Collects outputs per batch and records listener events. Close it after each test: it
 * stops the context if it is still running.
 */
final class EngineHarness implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  /** Generous: only ever reached when the engine is broken, never on a healthy run. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final String name;
  private final ManualClock clock = new ManualClock(0);
  private final StreamingContext context;
  private final RecordingListener listener = new RecordingListener();

  private EngineHarness(String baseName, int parallelism, boolean stopWhenInputsExhausted) {
    // A unique name per context, so thread-leak checks only see this context's threads.
    this.name = baseName + "-" + SEQUENCE.incrementAndGet();
    EngineConfig config = new EngineConfig(INTERVAL, parallelism, clock, false);
    if (stopWhenInputsExhausted) {
      config = config.stoppingWhenInputsExhausted();
    }
    this.context = new StreamingContext(name, config);
    context.addBatchListener(listener);
  }

  /** A context whose batches happen only when the test advances the clock. */
  static EngineHarness create(String baseName, int parallelism) {
    return new EngineHarness(baseName, parallelism, false);
  }

  /** A context that stops by itself once its finite inputs are exhausted. */
  static EngineHarness finite(String baseName, int parallelism) {
    return new EngineHarness(baseName, parallelism, true);
  }

  String name() {
    return name;
  }

  StreamingContext context() {
    return context;
  }

  ManualClock clock() {
    return clock;
  }

  RecordingListener listener() {
    return listener;
  }

  /** A non-finite queue input: one queued batch per clock tick, then empty batches. */
  @SafeVarargs
  final <T> QueueInputDStream<T> queue(List<T>... batches) {
    return context.queueStream(List.of(batches), false);
  }

  @SafeVarargs
  final <T> QueueInputDStream<T> finiteQueue(List<T>... batches) {
    return context.queueStream(List.of(batches), true);
  }

  /** Registers an output operation that records every element of {@code stream} per batch. */
  <T> Collected<T> collect(DStream<T> stream) {
    Collected<T> collected = new Collected<>();
    stream.foreachPartition(
        (partition, task) -> {
          List<T> elements = new ArrayList<>();
          partition.forEachRemaining(elements::add);
          collected.add(
              task.batch().batchId(), task.partition(), task.numPartitions(), elements);
        });
    return collected;
  }

  void start() {
    context.start();
  }

  /** Moves the clock one batch interval forward, which triggers one batch of an idle context. */
  void tick() {
    clock.advance(INTERVAL.toMillis());
  }

  /**
   * Advances the clock one interval at a time, each time waiting for the batch it triggers, until
   * {@code n} batches have completed in total. Fails if that takes longer than {@link #TIMEOUT}
   * or if the context ends first. Listeners that the test added itself are called after the
   * harness's own one, so they may not have heard of the last batch yet: stop the context (which
   * lets the driver finish its callbacks) before reading them.
   */
  void awaitBatches(int n) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (listener.completedCount() < n) {
      int before = listener.completedCount();
      tick();
      listener.awaitCompleted(before + 1, deadline, context);
    }
  }

  /** Waits for the context to end; fails the test if it does not end in time. */
  void awaitTermination() {
    if (!context.awaitTermination(TIMEOUT)) {
      fail("The context " + name + " did not stop within " + TIMEOUT);
    }
  }

  /** The live threads whose names start with this context's name, after a short grace join. */
  List<String> liveThreads() throws InterruptedException {
    // The driver signals termination just before its own thread exits, so give threads a moment.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> alive = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith(name + "-")) {
        thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (thread.isAlive()) {
          alive.add(thread.getName());
        }
      }
    }
    return alive;
  }

  @Override
  public void close() {
    if (context.state() == ContextState.ACTIVE) {
      context.stop(false);
    }
  }

  /** What an output saw, per batch and partition; filled concurrently by worker threads. */
  static final class Collected<T> {
    private final Map<Long, Map<Integer, List<T>>> batches = new TreeMap<>();
    private final Map<Long, Integer> numPartitions = new TreeMap<>();

    private synchronized void add(long batchId, int partition, int partitions, List<T> elements) {
      batches.computeIfAbsent(batchId, b -> new TreeMap<>()).put(partition, elements);
      numPartitions.put(batchId, partitions);
    }

    /** Every element of a batch, partition by partition; empty if the batch never ran. */
    synchronized List<T> batch(long batchId) {
      List<T> all = new ArrayList<>();
      batches.getOrDefault(batchId, Map.of()).values().forEach(all::addAll);
      return all;
    }

    /** The elements of one partition of a batch. */
    synchronized List<T> partition(long batchId, int partition) {
      return List.copyOf(batches.getOrDefault(batchId, Map.of()).getOrDefault(partition, List.of()));
    }

    /** The partition indexes the output was called for in a batch. */
    synchronized Set<Integer> partitionsCalled(long batchId) {
      return new TreeSet<>(batches.getOrDefault(batchId, Map.of()).keySet());
    }

    /** What {@link dev.microbatch.engine.dstream.TaskContext#numPartitions()} said in a batch. */
    synchronized int numPartitions(long batchId) {
      return numPartitions.getOrDefault(batchId, -1);
    }

    synchronized Set<Long> batchIds() {
      return new TreeSet<>(batches.keySet());
    }
  }

  /** A listener event: which callback, with what it was told. */
  record Event(String phase, BatchInfo info) {}

  /** Records every listener callback in arrival order. */
  static final class RecordingListener implements BatchListener {
    private final List<Event> events = new ArrayList<>();
    private final List<BatchInfo> completed = new ArrayList<>();

    @Override
    public synchronized void onBatchSubmitted(BatchInfo batch) {
      events.add(new Event("submitted", batch));
    }

    @Override
    public synchronized void onBatchStarted(BatchInfo batch) {
      events.add(new Event("started", batch));
    }

    @Override
    public synchronized void onBatchCompleted(BatchInfo batch) {
      events.add(new Event("completed", batch));
      completed.add(batch);
      notifyAll();
    }

    synchronized List<Event> events() {
      return List.copyOf(events);
    }

    synchronized List<BatchInfo> completed() {
      return List.copyOf(completed);
    }

    synchronized int completedCount() {
      return completed.size();
    }

    synchronized void awaitCompleted(int n, long deadlineNanos, StreamingContext context) {
      while (completed.size() < n) {
        if (context.state().isTerminal()) {
          fail("The context ended (" + context.state() + ") after " + completed.size()
              + " batches while waiting for " + n, context.failure());
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          fail("Only " + completed.size() + " of " + n + " batches completed within " + TIMEOUT);
        }
        try {
          // Short waits so that a context that ends without completing a batch is noticed.
          wait(Math.min(50, Math.max(1, left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail("Interrupted while waiting for batches", e);
        }
      }
    }
  }
}
