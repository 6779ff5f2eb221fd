package dev.microbatch.engine.state;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The timers of a keyed state store: one time-ordered {@link TimerIndex} per time domain, where a
 * timer id names one timer across all domains. A key's timers in every domain are handed out as
 * an array of what {@link TimerIndex#heldTimersOf} gives (immutable), which a batch keeps as the
 * key's committed timers and a rollback puts back. Confined to the store's thread.
 */
final class TimerDomains<I, T> {
  private final List<TimerIndex<I, T>> domains = new ArrayList<>();

  TimerDomains(int count) {
    for (int d = 0; d < count; d++) {
      domains.add(new TimerIndex<>());
    }
  }

  int count() {
    return domains.size();
  }

  TimerIndex<I, T> domain(int domain) {
    return domains.get(domain);
  }

  /**
   * Sets the timer {@code id} of {@code key} in {@code domain}, dropping it from the other domains,
   * and records the key's timers in every domain into {@code held}.
   */
  void set(int domain, ByteKey key, I id, long time, long hold, T timer, Object[] held) {
    for (int other = 0; other < domains.size(); other++) {
      if (other != domain) {
        held[other] = domains.get(other).delete(key, id);
      }
    }
    held[domain] = domains.get(domain).set(key, id, time, hold, timer);
  }

  /**
   * Deletes the timer {@code id} of {@code key} wherever it is, recording the key's timers left in
   * every domain into {@code held}.
   */
  void delete(ByteKey key, I id, Object[] held) {
    for (int domain = 0; domain < domains.size(); domain++) {
      held[domain] = domains.get(domain).delete(key, id);
    }
  }

  /** The timers of {@code key} in every domain. */
  List<TimerIndex.Entry<I, T>> timersOf(ByteKey key) {
    List<TimerIndex.Entry<I, T>> all = new ArrayList<>();
    for (TimerIndex<I, T> index : domains) {
      all.addAll(index.timersOf(key));
    }
    return all;
  }

  /** The earliest hold of any timer of {@code key}, or {@link Watermarks#MAX}. */
  long earliestHoldOf(ByteKey key) {
    long earliest = Watermarks.MAX;
    for (TimerIndex<I, T> index : domains) {
      earliest = Math.min(earliest, index.earliestHoldOf(key));
    }
    return earliest;
  }

  boolean hasTimers(ByteKey key) {
    for (TimerIndex<I, T> index : domains) {
      if (index.hasTimers(key)) {
        return true;
      }
    }
    return false;
  }

  /** The timers of {@code key} in each domain, as the indexes hold them. */
  Object[] heldTimersOf(ByteKey key) {
    Object[] held = new Object[domains.size()];
    for (int domain = 0; domain < held.length; domain++) {
      held[domain] = domains.get(domain).heldTimersOf(key);
    }
    return held;
  }

  /** Replaces the timers of {@code key} with {@code held} ({@link #heldTimersOf}'s form). */
  void putBack(ByteKey key, Object[] held) {
    removeAll(key);
    for (int domain = 0; domain < domains.size(); domain++) {
      for (TimerIndex.Entry<I, T> entry : TimerIndex.<I, T>entriesOf(held[domain])) {
        domains.get(domain).restore(entry);
      }
    }
  }

  /** Deletes every timer of {@code key}. */
  void removeAll(ByteKey key) {
    for (TimerIndex<I, T> index : domains) {
      for (TimerIndex.Entry<I, T> entry : List.copyOf(index.timersOf(key))) {
        index.delete(key, entry.id());
      }
    }
  }

  /** The sequence the next timer set in each domain gets. */
  long[] nextSequences() {
    long[] sequences = new long[domains.size()];
    for (int domain = 0; domain < sequences.length; domain++) {
      sequences[domain] = domains.get(domain).nextSequence();
    }
    return sequences;
  }

  void advanceSequencesTo(long[] sequences) {
    for (int domain = 0; domain < sequences.length; domain++) {
      domains.get(domain).advanceSequenceTo(sequences[domain]);
    }
  }

  /** Adds every key that has a timer to {@code keys}. */
  void addKeysTo(Set<ByteKey> keys) {
    for (TimerIndex<I, T> index : domains) {
      keys.addAll(index.keys());
    }
  }
}
