package dev.microbatch.runner;

import dev.microbatch.engine.StreamingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a checkpointing pipeline gracefully when the JVM shuts down (SIGTERM, Ctrl-C, {@code
 * System.exit}): the running batch finishes and commits, a final checkpoint is written, and what
 * the committed batches acknowledge is finalized. A SIGKILL skips this; recovery then starts from
 * the last durable checkpoint.
 */
final class GracefulShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
  private static final Duration GRACE = Duration.ofSeconds(30);

  private GracefulShutdown() {}

  static void install(StreamingContext engine) {
    Thread hook =
        new Thread(
            () -> {
              if (!engine.state().isTerminal()) {
                LOG.info("JVM shutting down: stopping {} gracefully", engine);
                engine.requestStop(true);
                if (!engine.awaitStopped(GRACE)) {
                  LOG.warn("{} did not stop within {}; the last checkpoint stands", engine, GRACE);
                }
              }
            },
            "microbatch-graceful-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    engine.addCloseHook(
        () -> {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // The JVM is already shutting down: the hook is running or has run.
          }
        });
  }
}
