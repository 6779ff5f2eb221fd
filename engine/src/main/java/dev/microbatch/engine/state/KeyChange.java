package dev.microbatch.engine.state;

import dev.microbatch.engine.shuffle.ByteKey;

/**
 * One key a batch changed: its committed version, which a rollback puts back, and its version now,
 * kept up to date by every change, which a checkpoint captures once the batch commits. So a capture
 * reads these records instead of looking each changed key up in the partition's large maps again.
 * Timers are held as {@link TimerIndex#heldTimersOf} gives them (immutable; a change replaces them).
 * A record is changed only in its own batch: the commit hands it over and the next batch starts new
 * ones, so a capture may hand its fields (the timers array too) to the checkpoint thread as they
 * are.
 */
final class KeyChange {
  final ByteKey key;
  byte[] committedBlob;
  Object[] committedTimers;
  long committedHold;
  byte[] blob;
  final Object[] timers;
  long hold;

  /**
   * A key's record, from its committed version. With {@code copyTimers}, its current timers start
   * as copies, made while the batch has them in cache: the originals have usually lived long and
   * lie anywhere in the heap, and the checkpoint thread that reads the copies later would otherwise
   * miss the cache on each of them (most of its time, measured).
   */
  KeyChange(ByteKey key, byte[] blob, Object[] timers, long hold, boolean copyTimers) {
    this.key = key;
    this.committedBlob = blob;
    this.committedTimers = timers;
    this.committedHold = hold;
    this.blob = blob;
    this.timers = new Object[timers.length];
    for (int domain = 0; domain < timers.length; domain++) {
      this.timers[domain] = copyTimers ? TimerIndex.copyOfHeld(timers[domain]) : timers[domain];
    }
    this.hold = hold;
  }

  /** After the commit only the current version is needed: let the committed one go, young. */
  void forgetCommitted() {
    committedBlob = null;
    committedTimers = null;
  }

  /** The key as it is now, for a capture. */
  KeyedStateCapture.KeyEntry entry() {
    return new KeyedStateCapture.KeyEntry(key, blob, hold, timers);
  }
}
