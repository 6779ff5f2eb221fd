package dev.microbatch.translation.state;

import dev.microbatch.io.beam.BeamTime;
import dev.microbatch.engine.event.Watermarks;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.WatermarkHoldState;
import org.joda.time.Instant;

/**
 * The Beam state of one key of a stateful stage, kept across batches in the partition that owns the
 * key. Adds what the engine needs to know: the key's earliest watermark hold, and whether anything
 * is left (an empty key is dropped from the partition).
 */
public final class KeyStateInternals<K> extends InMemoryStateInternals<K> {

  public KeyStateInternals(K key) {
    super(key);
  }

  /** The earliest watermark hold of any window of this key, or {@link Watermarks#MAX}. */
  public long earliestHold() {
    long earliest = Watermarks.MAX;
    for (State state : inMemoryState.values()) {
      if (state instanceof WatermarkHoldState hold) {
        Instant held = hold.read();
        if (held != null) {
          earliest = Math.min(earliest, BeamTime.toEngine(held));
        }
      }
    }
    return earliest;
  }

  /** True when every state cell of this key is cleared. */
  public boolean isEmpty() {
    for (State state : inMemoryState.values()) {
      if (!isEmptyForTesting(state)) {
        return false;
      }
    }
    return true;
  }
}
