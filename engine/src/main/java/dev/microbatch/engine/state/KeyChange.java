package dev.microbatch.engine.state;

import dev.microbatch.engine.shuffle.ByteKey;

/**
 * One key a batch changed: its committed version, which a rollback puts back, and its version now,
 * kept up to date by every change, which the batch's {@link ChangeLog} records once the key is
 * sealed ({@code sealed} is cleared by every change). So a commit reads these records instead of
 * looking each changed key up in the partition's large maps again. Timers are held as {@link
 * TimerIndex#heldTimersOf} gives them (immutable; a change replaces them).
 */
final class KeyChange {
  final ByteKey key;
  final StateBytes committedBlob;
  final Object[] committedTimers;
  final long committedHold;
  StateBytes blob;
  final Object[] timers;
  long hold;
  boolean sealed;

  /** A key's record, from its committed version. */
  KeyChange(ByteKey key, StateBytes blob, Object[] timers, long hold) {
    this.key = key;
    this.committedBlob = blob;
    this.committedTimers = timers;
    this.committedHold = hold;
    this.blob = blob;
    this.timers = timers.clone();
    this.hold = hold;
  }
}
