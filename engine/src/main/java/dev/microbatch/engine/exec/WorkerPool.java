package dev.microbatch.engine.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.MDC;

/**
 * The worker threads that run the partitions of a stage in parallel, one thread per partition: a
 * partition's tasks always run on the same thread, batch after batch, so a partition's state stays
 * with one thread (and its caches) and user code that keys anything by thread sees a stable
 * partition. A stage fails with the first task failure (the others suppressed in it), after every
 * task of the stage has ended, so no task outlives its stage.
 */
public final class WorkerPool implements AutoCloseable {
  private final List<ExecutorService> executors;

  public WorkerPool(String name, int threads) {
    List<ExecutorService> perPartition = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      String threadName = name + "-worker-" + (i + 1);
      ThreadFactory factory =
          runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
          };
      perPartition.add(Executors.newSingleThreadExecutor(factory));
    }
    this.executors = List.copyOf(perPartition);
  }

  /**
   * Runs every task, task i on the thread of partition i (modulo the threads), and returns their
   * results in order.
   *
   * @throws StageFailedException carrying the first task's exception, with the other tasks'
   *     failures suppressed in it
   */
  public <R> List<R> runAll(List<Task<R>> tasks, BooleanFlag cancelled) {
    int count = tasks.size();
    List<R> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      results.add(null);
    }
    if (count == 0) {
      return results;
    }
    CountDownLatch done = new CountDownLatch(count);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // The caller's logging context (pipeline, batch) in every task's log lines.
    Map<String, String> logContext = MDC.getCopyOfContextMap();
    for (int i = 0; i < count; i++) {
      int index = i;
      executors.get(index % executors.size()).execute(
          () -> {
            if (logContext != null) {
              MDC.setContextMap(logContext);
            }
            try {
              if (failure.get() == null && !cancelled.isSet()) {
                results.set(index, tasks.get(index).call());
              }
            } catch (Throwable t) {
              if (!failure.compareAndSet(null, t)) {
                Failures.firstWithSuppressed(failure.get(), t);
              }
            } finally {
              if (logContext != null) {
                MDC.clear();
              }
              done.countDown();
            }
          });
    }
    // Waits for every task even when interrupted: a caller that then rolls the batch back must not
    // race tasks still changing the state (seen: a rollback's iteration failing mid-batch).
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        // Tasks not started yet skip their work.
        interrupted = true;
        failure.compareAndSet(null, e);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new StageFailedException(new InterruptedException("Interrupted while the batch's tasks ran."));
    }
    if (failure.get() != null) {
      throw new StageFailedException(failure.get());
    }
    if (cancelled.isSet()) {
      throw new StageFailedException(new InterruptedException("The batch was cancelled."));
    }
    return results;
  }

  @Override
  public void close() {
    executors.forEach(ExecutorService::shutdownNow);
    try {
      for (ExecutorService executor : executors) {
        executor.awaitTermination(1, TimeUnit.MINUTES);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One partition's work. */
  @FunctionalInterface
  public interface Task<R> {
    R call() throws Exception;
  }

  /** A flag read by tasks that are about to start. */
  @FunctionalInterface
  public interface BooleanFlag {
    boolean isSet();
  }
}
