package dev.microbatch.engine.checkpoint;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A named place in the checkpoint protocol where a crash test stops the process on purpose: the
 * {@code hit}-th time the engine reaches the point named {@code name}, it announces {@code
 * FAILPOINT <name> <hit>} on {@code out} and parks the reaching thread forever, so the test can
 * SIGKILL the process exactly there. Points: {@code mid-batch} (a batch has run, its side effects
 * such as temporary files done, not committed), {@code after-commit} (a batch committed in memory,
 * no checkpoint of it yet), {@code before-manifest} (a checkpoint's data files written, its
 * manifest not), {@code during-cleanup} (a new manifest published, old manifests deleted, their
 * data files not yet), {@code after-manifest} (a checkpoint durable and cleaned up, its batches'
 * acknowledgements not run), {@code sink-before-commit} (an exactly-once sink's transaction holds a batch's records, not
 * committed) and {@code sink-after-commit} (committed, no checkpoint records that yet).
 */
public final class Failpoint {
  public static final Failpoint NONE = new Failpoint("", 0, System.out);
  private static final List<String> POINTS =
      List.of(
          "mid-batch",
          "after-commit",
          "before-manifest",
          "after-manifest",
          "during-cleanup",
          "sink-before-commit",
          "sink-after-commit");

  private final String name;
  private final int hit;
  private final PrintStream out;
  private final AtomicInteger reached = new AtomicInteger();

  private Failpoint(String name, int hit, PrintStream out) {
    this.name = name;
    this.hit = hit;
    this.out = out;
  }

  /**
   * Parses {@code <name>:<hit>} (or {@code <name>}, the first hit); null or blank: none.
   *
   * @throws IllegalArgumentException for an unknown point or a hit below 1
   */
  public static Failpoint parse(String spec, PrintStream out) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    int colon = spec.indexOf(':');
    String name = colon < 0 ? spec : spec.substring(0, colon);
    int hit = colon < 0 ? 1 : Integer.parseInt(spec.substring(colon + 1));
    if (!POINTS.contains(name)) {
      throw new IllegalArgumentException("Unknown failpoint " + name + "; known: " + String.join(", ", POINTS));
    }
    if (hit < 1) {
      throw new IllegalArgumentException("A failpoint's hit must be at least 1, got " + hit);
    }
    return new Failpoint(name, hit, out);
  }

  /**
   * Called where the engine passes {@code point}; parks forever on the chosen hit. Only the thread
   * that reaches it parks: other threads pass their points on (the batches go on while a
   * checkpoint write is stopped, as they would while it is slow).
   */
  public void reach(String point) {
    if (!point.equals(name) || reached.incrementAndGet() != hit) {
      return;
    }
    out.println("FAILPOINT " + name + " " + hit);
    out.flush();
    while (true) {
      LockSupport.park(this);
    }
  }

  @Override
  public String toString() {
    return this == NONE ? "none" : name + ":" + hit;
  }
}
