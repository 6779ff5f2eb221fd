package dev.microbatch.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the engine's checkpoint log lines as slf4j-simple prints them (one println on System.err,
 * looked up on every line): the DEBUG line each checkpoint writes, which only the engine knows
 * (its write time), and the INFO line a restore ends with. Checkpoint lines are recorded and not
 * printed (hundreds per run); everything else passes through.
 */
final class CheckpointLogTap extends PrintStream {
  // The checkpoint thread's writer logs each checkpoint; the coordinator logs the restore.
  static final String LOGGER = "dev.microbatch.engine.recovery.CheckpointFiles";
  private static final String PACKAGE = "dev.microbatch.engine.recovery.";
  private static final Pattern CHECKPOINT =
      Pattern.compile("checkpoint of batch (\\d+): (\\d+) state files \\((\\d+) whole\\), (\\d+) keys, (\\d+) bytes, (\\d+) ms, captured in (\\d+) ms");
  private static final Pattern RESTORED =
      Pattern.compile("restored the checkpoint of batch (\\d+) from .* \\((\\d+) files\\)");

  /**
   * One checkpoint: its batch, what it wrote, how long writing took (checkpoint thread) and
   * capturing (driver, between batches), and how many of its state files were whole.
   */
  record Checkpoint(
      long batch, int files, long keys, long bytes, long millis, long captureMillis, int fullFiles) {}

  /** A restore: which batch, and when its log line arrived (System.nanoTime). */
  record Restore(long batch, int files, long at) {}

  private final PrintStream original;
  private final List<Checkpoint> checkpoints = new CopyOnWriteArrayList<>();
  private final List<Restore> restores = new CopyOnWriteArrayList<>();

  private CheckpointLogTap(PrintStream original) {
    super(original, true);
    this.original = original;
  }

  /** Turns the coordinator's DEBUG line on (before its logger exists) and taps System.err. */
  static CheckpointLogTap install() {
    System.setProperty("org.slf4j.simpleLogger.log." + LOGGER, "debug");
    CheckpointLogTap tap = new CheckpointLogTap(System.err);
    System.setErr(tap);
    return tap;
  }

  /** Starts recording the next run (forgets the previous one's lines). */
  void reset() {
    checkpoints.clear();
    restores.clear();
  }

  List<Checkpoint> checkpoints() {
    return List.copyOf(checkpoints);
  }

  List<Restore> restores() {
    return List.copyOf(restores);
  }

  @Override
  public void println(String line) {
    if (line != null && line.contains(PACKAGE)) {
      Matcher m = CHECKPOINT.matcher(line);
      if (m.find()) {
        long batch = Long.parseLong(m.group(1));
        checkpoints.add(
            new Checkpoint(
                batch,
                Integer.parseInt(m.group(2)),
                Long.parseLong(m.group(4)),
                Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7)),
                Integer.parseInt(m.group(3))));
        return;
      }
      m = RESTORED.matcher(line);
      if (m.find()) {
        restores.add(
            new Restore(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), System.nanoTime()));
      }
    }
    super.println(line);
  }

  /** Stops tapping; never closes the original stream. */
  @Override
  public void close() {
    flush();
    System.setErr(original);
  }
}
