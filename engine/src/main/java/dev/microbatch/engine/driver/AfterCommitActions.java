package dev.microbatch.engine.driver;

import dev.microbatch.engine.exec.Failures;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What committed batches acknowledge (bundle finalization, source checkpoint finalization): run
 * at once, or, with checkpoints on, held until a checkpoint covering the batch is durable and then
 * run in batch order. Every action runs even if some fail; a failure fails the run (the batch stays
 * committed, but what the action acknowledges, an offset commit or a user's callback, did not
 * happen). Driver thread only.
 */
final class AfterCommitActions {
  private static final Logger LOG = LoggerFactory.getLogger(AfterCommitActions.class);

  private final String name;
  private final Deque<Held> held = new ArrayDeque<>();

  private record Held(long batchId, List<Runnable> actions) {}

  AfterCommitActions(String name) {
    this.name = name;
  }

  /** Keeps the actions of {@code batchId} until {@link #runUpTo} reaches it. */
  void hold(long batchId, List<Runnable> actions) {
    held.add(new Held(batchId, actions));
  }

  /**
   * Runs the held actions of every batch up to {@code batchId}, in batch order.
   *
   * @return the first failure, with the later ones suppressed in it, or null
   */
  Throwable runUpTo(long batchId) {
    Throwable first = null;
    while (!held.isEmpty() && held.peek().batchId() <= batchId) {
      Held next = held.poll();
      first = Failures.firstWithSuppressed(first, run(next.batchId(), next.actions()));
    }
    return first;
  }

  /**
   * Runs {@code actions} of {@code batchId} now, every one of them.
   *
   * @return the first failure, with the later ones suppressed in it, or null
   */
  Throwable run(long batchId, List<Runnable> actions) {
    Throwable first = null;
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException | Error e) {
        LOG.error("{}: an after-commit action of batch {} failed", name, batchId, e);
        first = Failures.firstWithSuppressed(first, e);
      }
    }
    return first;
  }
}
