package dev.microbatch.engine.state;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The watermark hold of each key of one partition and their minimum, kept up to date as keys
 * change, so the partition's hold is read without visiting every key. Confined to one task.
 */
public final class KeyedHolds {
  private final Map<ByteKey, Long> byKey = new HashMap<>();
  private final TreeMap<Long, Integer> counts = new TreeMap<>();

  /** Sets the hold of {@code key}; {@link Watermarks#MAX} releases it. */
  public void set(ByteKey key, long hold) {
    Long old = hold == Watermarks.MAX ? byKey.remove(key) : byKey.put(key, hold);
    if (old != null) {
      counts.computeIfPresent(old, (time, count) -> count == 1 ? null : count - 1);
    }
    if (hold != Watermarks.MAX) {
      counts.merge(hold, 1, Integer::sum);
    }
  }

  /** The hold of {@code key}, {@link Watermarks#MAX} when it holds nothing. */
  public long holdOf(ByteKey key) {
    return byKey.getOrDefault(key, Watermarks.MAX);
  }

  /** The earliest hold of any key, or {@link Watermarks#MAX} when nothing is held. */
  public long earliest() {
    return counts.isEmpty() ? Watermarks.MAX : counts.firstKey();
  }

  /** Every key that holds the watermark. */
  Set<ByteKey> keys() {
    return byKey.keySet();
  }

  public int size() {
    return byKey.size();
  }
}
