package dev.microbatch.translation.metrics;

import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.MetricName;

/**
 * The last few metric cells looked up, keyed by their {@link MetricName}. A DoFn's {@code Counter}
 * field holds one name instance for its whole life, so each update finds its cell here by identity
 * instead of hashing and comparing the name in the container's concurrent map (about 6% of a
 * pass-through query's time); a name built anew on every call is found by equality. The cache
 * never grows past its few slots: a cell pushed out, and every cell on {@link #flushAll}, is handed
 * to {@code flush}. Confined to one task's thread.
 */
final class RecentCells<C> {
  private static final int SLOTS = 8;

  private final MetricName[] names = new MetricName[SLOTS];
  private final Object[] cells = new Object[SLOTS];
  private final Function<MetricName, C> lookup;
  private final Consumer<C> flush;
  private int nextVictim;

  RecentCells(Function<MetricName, C> lookup, Consumer<C> flush) {
    this.lookup = lookup;
    this.flush = flush;
  }

  @SuppressWarnings("unchecked")
  C get(MetricName name) {
    for (int i = 0; i < SLOTS; i++) {
      if (names[i] == name) {
        return (C) cells[i];
      }
    }
    for (int i = 0; i < SLOTS; i++) {
      if (name.equals(names[i])) {
        return (C) cells[i];
      }
    }
    if (cells[nextVictim] != null) {
      flush.accept((C) cells[nextVictim]);
    }
    C cell = lookup.apply(name);
    names[nextVictim] = name;
    cells[nextVictim] = cell;
    nextVictim = (nextVictim + 1) % SLOTS;
    return cell;
  }

  @SuppressWarnings("unchecked")
  void flushAll() {
    for (Object cell : cells) {
      if (cell != null) {
        flush.accept((C) cell);
      }
    }
  }
}
