package dev.microbatch.runner;

import dev.microbatch.engine.StreamingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a checkpointing pipeline gracefully when the JVM shuts down (SIGTERM, Ctrl-C, {@code
 * System.exit}): the running batch finishes and commits, a final checkpoint is written, and what
 * the committed batches acknowledge is finalized. A SIGKILL skips this; recovery then starts from
 * the last durable checkpoint. The hook is registered once the engine has started and removed when
 * it stops.
 */
final class GracefulShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
  private static final Duration GRACE = Duration.ofSeconds(30);

  private final StreamingContext engine;
  private final Thread hook;

  /** Prepares the hook; call before the engine starts (it registers a close hook). */
  GracefulShutdown(StreamingContext engine) {
    this.engine = engine;
    this.hook = new Thread(this::stopGracefully, "microbatch-graceful-shutdown");
    engine.addCloseHook(this::remove);
  }

  /** Registers the hook; call once the engine has started. */
  void install() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private void stopGracefully() {
    if (!engine.state().isTerminal()) {
      LOG.info("JVM shutting down: stopping {} gracefully", engine);
      engine.requestStop(true);
      if (!engine.awaitStopped(GRACE)) {
        LOG.warn("{} did not stop within {}; the last checkpoint stands", engine, GRACE);
      }
    }
  }

  private void remove() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already shutting down: the hook is running or has run.
    }
  }
}
