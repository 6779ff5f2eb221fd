package dev.microbatch.engine.state;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The timers of one partition of a stateful stage, ordered by time, so that a batch visits only
 * the keys whose timers are due and never scans every key. A timer is identified by its key and
 * an id of the operator's choosing (equal ids replace each other); {@code T} is what the operator
 * wants back when it fires. A timer may hold its stage's output watermark at a time of its own
 * until it fires. A key with one timer (the common case) maps to its entry; a key with more to a
 * small array of them (keys have few timers, and a map per key would cost more than the timers).
 * Confined to the task that owns the partition.
 */
public final class TimerIndex<I, T> {

  /** A set timer: it fires at {@code time} and holds the output watermark at {@code hold}. */
  public record Entry<I, T>(long time, long sequence, ByteKey key, I id, long hold, T timer) {}

  private static final Entry<?, ?>[] NONE = new Entry<?, ?>[0];

  private final NavigableSet<Entry<I, T>> byTime =
      new TreeSet<>(
          (a, b) -> {
            int c = Long.compare(a.time(), b.time());
            return c != 0 ? c : Long.compare(a.sequence(), b.sequence());
          });
  /** Each key's timers: an {@link Entry}, or an {@code Entry[]} of two or more. */
  private final Map<ByteKey, Object> byKey = new HashMap<>();
  private long nextSequence;

  /** Sets (or replaces) the timer {@code id} of {@code key} to fire at {@code time}; no hold. */
  public void set(ByteKey key, I id, long time, T timer) {
    set(key, id, time, Watermarks.MAX, timer);
  }

  /**
   * Sets (or replaces) the timer {@code id} of {@code key}, holding the watermark at {@code hold};
   * returns the key's timers as {@link #heldTimersOf} now gives them.
   */
  public Object set(ByteKey key, I id, long time, long hold, T timer) {
    delete(key, id);
    return add(new Entry<>(time, nextSequence++, key, id, hold, timer));
  }

  /**
   * Puts back a timer exactly as it was, with its original sequence number, after a rollback
   * removed whatever replaced it.
   */
  void restore(Entry<I, T> entry) {
    delete(entry.key(), entry.id());
    add(entry);
  }

  /** Adds {@code entry}; returns its key's timers as {@link #heldTimersOf} now gives them. */
  private Object add(Entry<I, T> entry) {
    byTime.add(entry);
    Object held = byKey.get(entry.key());
    Entry<I, T>[] timers = timersOf(held);
    if (timers.length == 0) {
      byKey.put(entry.key(), entry);
      return entry;
    }
    Entry<I, T>[] grown = Arrays.copyOf(timers, timers.length + 1);
    grown[timers.length] = entry;
    byKey.put(entry.key(), grown);
    return grown;
  }

  /**
   * Deletes the timer {@code id} of {@code key}, if it is set; returns the key's timers as {@link
   * #heldTimersOf} now gives them.
   */
  public Object delete(ByteKey key, I id) {
    Object held = byKey.get(key);
    Entry<I, T>[] timers = timersOf(held);
    int at = indexOf(timers, id);
    if (at < 0) {
      return held;
    }
    byTime.remove(timers[at]);
    switch (timers.length) {
      case 1 -> {
        byKey.remove(key);
        return null;
      }
      case 2 -> {
        byKey.put(key, timers[1 - at]);
        return timers[1 - at];
      }
      default -> {
        Entry<I, T>[] shrunk = Arrays.copyOf(timers, timers.length - 1);
        System.arraycopy(timers, at + 1, shrunk, at, timers.length - at - 1);
        byKey.put(key, shrunk);
        return shrunk;
      }
    }
  }

  /** The timer {@code id} of {@code key}, or null. */
  public Entry<I, T> get(ByteKey key, I id) {
    Entry<I, T>[] timers = timersOf(byKey.get(key));
    int at = indexOf(timers, id);
    return at < 0 ? null : timers[at];
  }

  /**
   * Removes and returns the earliest timer set strictly before {@code bound}, or null. Strictly:
   * a watermark at t still admits elements at t, so a timer at t fires only once time is past it.
   */
  public Entry<I, T> pollBefore(long bound) {
    return pollBefore(bound, Long.MAX_VALUE);
  }

  /**
   * The earliest timer set strictly before {@code bound} and before the index's sequence reached
   * {@code sequenceLimit}, without removing it; null if there is none.
   */
  Entry<I, T> peekBefore(long bound, long sequenceLimit) {
    for (Entry<I, T> entry : byTime) {
      if (entry.time() >= bound) {
        return null;
      }
      if (entry.sequence() < sequenceLimit) {
        return entry;
      }
    }
    return null;
  }

  /**
   * Like {@link #pollBefore(long)}, but only among timers set before the index's sequence reached
   * {@code sequenceLimit} (see {@link #nextSequence()}): the timers a caller set since are skipped.
   */
  public Entry<I, T> pollBefore(long bound, long sequenceLimit) {
    Entry<I, T> due = peekBefore(bound, sequenceLimit);
    if (due != null) {
      delete(due.key(), due.id());
    }
    return due;
  }

  /** The sequence number the next timer set will get; timers set earlier have lower ones. */
  public long nextSequence() {
    return nextSequence;
  }

  /** Makes the next timer's sequence at least {@code sequence} (after a restore). */
  void advanceSequenceTo(long sequence) {
    nextSequence = Math.max(nextSequence, sequence);
  }

  /** Every key that has a timer. */
  Set<ByteKey> keys() {
    return byKey.keySet();
  }

  /** The time of the earliest timer, or {@link Long#MAX_VALUE} if none is set. */
  public long earliest() {
    return byTime.isEmpty() ? Long.MAX_VALUE : byTime.first().time();
  }

  /**
   * The timers of {@code key} as the index holds them, for a capture to keep: null, an {@link
   * Entry}, or an {@code Entry[]} of two or more; never changed afterwards (changes replace them).
   */
  Object heldTimersOf(ByteKey key) {
    return byKey.get(key);
  }

  /** The timers {@link #heldTimersOf} returned, as an array (any thread). */
  @SuppressWarnings("unchecked")
  static <I, T> Entry<I, T>[] entriesOf(Object held) {
    if (held == null) {
      return (Entry<I, T>[]) NONE;
    }
    return held instanceof Entry<?, ?> single
        ? (Entry<I, T>[]) new Entry<?, ?>[] {single}
        : (Entry<I, T>[]) held;
  }

  /** The timers set for {@code key}. */
  public List<Entry<I, T>> timersOf(ByteKey key) {
    return List.of(timersOf(byKey.get(key)));
  }

  /** The earliest hold of the timers of {@code key}, or {@link Watermarks#MAX}. */
  public long earliestHoldOf(ByteKey key) {
    long earliest = Watermarks.MAX;
    for (Entry<I, T> entry : timersOf(byKey.get(key))) {
      earliest = Math.min(earliest, entry.hold());
    }
    return earliest;
  }

  /** Whether {@code key} has any timer set. */
  public boolean hasTimers(ByteKey key) {
    return byKey.containsKey(key);
  }

  public int size() {
    return byTime.size();
  }

  private int indexOf(Entry<I, T>[] timers, I id) {
    for (int i = 0; i < timers.length; i++) {
      if (timers[i].id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  /** A key's timers as an array, from what {@link #byKey} holds for it (null: none). */
  private Entry<I, T>[] timersOf(Object timers) {
    return entriesOf(timers);
  }
}
