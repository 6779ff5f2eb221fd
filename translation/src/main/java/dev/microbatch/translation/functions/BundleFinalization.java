package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.TaskContext;
import java.util.function.Consumer;
import org.apache.beam.runners.core.InMemoryBundleFinalizer;
import org.apache.beam.sdk.util.UserCodeException;
import org.joda.time.Instant;

/**
 * The bundle finalizer of one bundle (one partition of one batch): the callbacks a DoFn registers
 * run on the driver once the batch has committed, unless they expired before the batch's time.
 */
final class BundleFinalization {
  private final InMemoryBundleFinalizer finalizer = new InMemoryBundleFinalizer();

  InMemoryBundleFinalizer finalizer() {
    return finalizer;
  }

  /**
   * Hands the callbacks registered so far to the engine, to run after the batch commits, each
   * through {@code inStep}, which reports what it does under the step that registered it.
   */
  void afterCommit(TaskContext task, Consumer<Runnable> inStep) {
    Instant batchTime = new Instant(task.batch().batchTime());
    for (InMemoryBundleFinalizer.Finalization finalization : finalizer.getAndClearFinalizations()) {
      if (finalization.getExpiryTime().isBefore(batchTime)) {
        continue;
      }
      task.afterCommit(
          () ->
              inStep.accept(
                  () -> {
                    try {
                      finalization.getCallback().onBundleSuccess();
                    } catch (Exception e) {
                      throw UserCodeException.wrap(e);
                    }
                  }));
    }
  }
}
