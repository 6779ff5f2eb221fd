package dev.microbatch.engine.driver;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The terminal outcome of a context, set once by the driver and awaited by anyone. */
public final class Termination {
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile ContextState state = ContextState.INITIALIZED;
  private volatile Throwable failure;

  void activate() {
    state = ContextState.ACTIVE;
  }

  void finish(Throwable cause) {
    failure = cause;
    state = cause == null ? ContextState.STOPPED : ContextState.FAILED;
    done.countDown();
  }

  public ContextState state() {
    return state;
  }

  /** The exception that failed the context, or null. */
  public Throwable failure() {
    return failure;
  }

  public void await() throws InterruptedException {
    done.await();
  }

  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return done.await(timeout, unit);
  }
}
