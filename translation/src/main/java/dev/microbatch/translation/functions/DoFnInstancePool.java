package dev.microbatch.translation.functions;

import dev.microbatch.engine.exec.Failures;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.reflect.DoFnInvokers;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.util.UserCodeException;

/**
 * The set-up instances of one ParDo's DoFn. A task borrows an instance for one bundle (one
 * partition of one batch) and gives it back; an instance that threw is torn down and never reused.
 * Idle instances are torn down when the engine stops. Each instance is a deserialized copy of the
 * user's DoFn, so no two threads ever share one.
 */
public final class DoFnInstancePool implements AutoCloseable {
  private final byte[] serializedFn;
  private final String description;
  private final Queue<DoFn<?, ?>> idle = new ConcurrentLinkedQueue<>();

  public DoFnInstancePool(DoFn<?, ?> fn, String description) {
    this.serializedFn = SerializableUtils.serializeToByteArray(fn);
    this.description = description;
  }

  /** An instance whose {@code @Setup} has run; if setup throws, it is torn down and rethrown. */
  public DoFn<?, ?> borrow(PipelineOptions options) {
    DoFn<?, ?> instance = idle.poll();
    if (instance != null) {
      return instance;
    }
    DoFn<?, ?> fresh = (DoFn<?, ?>) SerializableUtils.deserializeFromByteArray(serializedFn, description);
    try {
      DoFnInvokers.tryInvokeSetupFor(fresh, options);
    } catch (RuntimeException e) {
      throw UserCodeException.wrap(e);
    }
    return fresh;
  }

  public void release(DoFn<?, ?> instance) {
    idle.add(instance);
  }

  /** Tears down an instance that must not be reused, keeping the original failure primary. */
  public void discard(DoFn<?, ?> instance, Throwable cause) {
    try {
      DoFnInvokers.invokerFor(instance).invokeTeardown();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void close() {
    RuntimeException first = null;
    DoFn<?, ?> instance;
    while ((instance = idle.poll()) != null) {
      try {
        DoFnInvokers.invokerFor(instance).invokeTeardown();
      } catch (RuntimeException e) {
        first = Failures.firstWithSuppressed(first, e);
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
