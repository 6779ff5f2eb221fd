package dev.microbatch.streaming.internal;

/**
 * Rethrows a user function's checked exception unchanged from code that cannot declare it (such as
 * an iterator), so that a failed batch fails with the user's own exception, not a wrapper.
 */
public final class Sneaky {
  private Sneaky() {}

  public static RuntimeException rethrow(Throwable t) {
    return Sneaky.<RuntimeException>doThrow(t);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E doThrow(Throwable t) throws E {
    throw (E) t;
  }
}
