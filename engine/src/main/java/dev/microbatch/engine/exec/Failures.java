package dev.microbatch.engine.exec;

/** Keeping every failure of work that goes on after one part fails. */
public final class Failures {
  private Failures() {}

  /**
   * The first failure so far, with {@code next} suppressed in it: {@code next} itself when there
   * was none, {@code first} when {@code next} is null. Safe from several threads at once ({@code Throwable.addSuppressed} is synchronized).
   */
  public static <T extends Throwable> T firstWithSuppressed(T first, T next) {
    if (first == null) {
      return next;
    }
    if (next != null && first != next) {
      first.addSuppressed(next);
    }
    return first;
  }
}
