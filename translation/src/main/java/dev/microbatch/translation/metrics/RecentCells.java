package dev.microbatch.translation.metrics;

import java.util.function.Function;
import org.apache.beam.sdk.metrics.MetricName;

/**
 * The last few metric cells looked up, keyed by the identity of their {@link MetricName}. A
 * DoFn's {@code Counter} field holds one name instance for its whole life, so each update finds
 * its cell here instead of hashing and comparing the name in the container's concurrent map (about
 * 6% of a pass-through query's time). A name built anew on every call simply misses and is looked
 * up in the container; the cache never grows past its few slots. Confined to one task's thread.
 */
final class RecentCells<C> {
  private static final int SLOTS = 8;

  private final MetricName[] names = new MetricName[SLOTS];
  private final Object[] cells = new Object[SLOTS];
  private final Function<MetricName, C> lookup;
  private int nextVictim;

  RecentCells(Function<MetricName, C> lookup) {
    this.lookup = lookup;
  }

  @SuppressWarnings("unchecked")
  C get(MetricName name) {
    for (int i = 0; i < SLOTS; i++) {
      if (names[i] == name) {
        return (C) cells[i];
      }
    }
    C cell = lookup.apply(name);
    names[nextVictim] = name;
    cells[nextVictim] = cell;
    nextVictim = (nextVictim + 1) % SLOTS;
    return cell;
  }
}
