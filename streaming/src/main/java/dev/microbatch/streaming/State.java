package dev.microbatch.streaming;

import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A key's state inside a {@code mapWithState} function, as Spark's {@code State}: read it, update
 * it or remove it. When the key is timing out (no data for the spec's timeout), the function is
 * called once more with no value; the state is then removed and can no longer be updated.
 */
public final class State<S> {
  private S value;
  private boolean exists;
  private boolean updated;
  private boolean removed;
  private boolean timingOut;

  State() {}

  /** Points this holder at one key's state for one call. */
  void reset(S current, boolean present, boolean isTimingOut) {
    value = current;
    exists = present;
    updated = false;
    removed = false;
    timingOut = isTimingOut;
  }

  public boolean exists() {
    return exists;
  }

  /** The state; throws {@link NoSuchElementException} when the key has none. */
  public S get() {
    if (!exists) {
      throw new NoSuchElementException("The key has no state: check exists() or use getOption().");
    }
    return value;
  }

  public Optional<S> getOption() {
    return exists ? Optional.ofNullable(value) : Optional.empty();
  }

  public void update(S newValue) {
    if (timingOut) {
      throw new IllegalStateException("Cannot update the state of a key that is timing out.");
    }
    if (removed) {
      throw new IllegalStateException("Cannot update a state after remove() in the same call.");
    }
    value = newValue;
    exists = true;
    updated = true;
  }

  public void remove() {
    if (timingOut) {
      throw new IllegalStateException("Cannot remove the state of a key that is timing out: it is removed anyway.");
    }
    if (removed) {
      throw new IllegalStateException("The state was already removed in this call.");
    }
    value = null;
    exists = false;
    removed = true;
  }

  public boolean isTimingOut() {
    return timingOut;
  }

  boolean isUpdated() {
    return updated;
  }

  boolean isRemoved() {
    return removed;
  }

  @Override
  public String toString() {
    return exists ? "State(" + value + ")" : "State(<none>)";
  }
}
