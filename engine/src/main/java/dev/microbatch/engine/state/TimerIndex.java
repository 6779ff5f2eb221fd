package dev.microbatch.engine.state;

import dev.microbatch.engine.shuffle.ByteKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The timers of one partition of a stateful stage, ordered by time, so that a batch visits only
 * the keys whose timers are due and never scans every key. A timer is identified by its key and
 * an id of the operator's choosing (equal ids replace each other); {@code T} is what the operator
 * wants back when it fires. Confined to the task that owns the partition.
 */
public final class TimerIndex<I, T> {

  /** A set timer. */
  public record Entry<I, T>(long time, long sequence, ByteKey key, I id, T timer) {}

  private final NavigableSet<Entry<I, T>> byTime =
      new TreeSet<>(
          (a, b) -> {
            int c = Long.compare(a.time(), b.time());
            return c != 0 ? c : Long.compare(a.sequence(), b.sequence());
          });
  private final Map<ByteKey, Map<I, Entry<I, T>>> byKey = new HashMap<>();
  private long nextSequence;

  /** Sets (or replaces) the timer {@code id} of {@code key} to fire at {@code time}. */
  public void set(ByteKey key, I id, long time, T timer) {
    delete(key, id);
    Entry<I, T> entry = new Entry<>(time, nextSequence++, key, id, timer);
    byTime.add(entry);
    byKey.computeIfAbsent(key, k -> new HashMap<>()).put(id, entry);
  }

  /**
   * Puts back a timer exactly as it was, with its original sequence number, after a rollback
   * removed whatever replaced it.
   */
  void restore(Entry<I, T> entry) {
    delete(entry.key(), entry.id());
    byTime.add(entry);
    byKey.computeIfAbsent(entry.key(), k -> new HashMap<>()).put(entry.id(), entry);
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

  /** Deletes the timer {@code id} of {@code key}, if it is set. */
  public void delete(ByteKey key, I id) {
    Map<I, Entry<I, T>> timers = byKey.get(key);
    if (timers == null) {
      return;
    }
    Entry<I, T> old = timers.remove(id);
    if (old != null) {
      byTime.remove(old);
      if (timers.isEmpty()) {
        byKey.remove(key);
      }
    }
  }

  /** The timer {@code id} of {@code key}, or null. */
  public Entry<I, T> get(ByteKey key, I id) {
    Map<I, Entry<I, T>> timers = byKey.get(key);
    return timers == null ? null : timers.get(id);
  }

  /**
   * Removes and returns the earliest timer set strictly before {@code bound}, or null. Strictly:
   * a watermark at t still admits elements at t, so a timer at t fires only once time is past it.
   */
  public Entry<I, T> pollBefore(long bound) {
    if (byTime.isEmpty() || byTime.first().time() >= bound) {
      return null;
    }
    Entry<I, T> first = byTime.first();
    delete(first.key(), first.id());
    return first;
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

  /** The time of the earliest timer, or {@link Long#MAX_VALUE} if none is set. */
  public long earliest() {
    return byTime.isEmpty() ? Long.MAX_VALUE : byTime.first().time();
  }

  /** The timers set for {@code key}. */
  public Collection<Entry<I, T>> timersOf(ByteKey key) {
    Map<I, Entry<I, T>> timers = byKey.get(key);
    return timers == null ? List.of() : timers.values();
  }

  /** Whether {@code key} has any timer set. */
  public boolean hasTimers(ByteKey key) {
    return byKey.containsKey(key);
  }

  public int size() {
    return byTime.size();
  }
}
