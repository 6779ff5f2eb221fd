package dev.microbatch.benchmarks;

import org.joda.time.Instant;

/**
 * An unbounded source of events at a fixed rate on the wall clock, split round robin: event g
 * (over all splits) is due at {@code start + g / rate}; its value and event time are its due time
 * in milliseconds. A reader emits an event once the wall clock has reached its due time, and its
 * watermark is the due time of its next event, so latency measured from the event time is latency
 * from the event's creation.
 */
final class RateSource extends RoundRobinSource {
  private final long startMillis;
  private final double eventsPerMillis;

  RateSource(long startMillis, long eventsPerSecond) {
    this(startMillis, eventsPerSecond / 1000.0, 0, 1);
  }

  private RateSource(long startMillis, double eventsPerMillis, int split, int splits) {
    super(split, splits);
    this.startMillis = startMillis;
    this.eventsPerMillis = eventsPerMillis;
  }

  @Override
  protected RoundRobinSource asSplit(int split, int splits) {
    return new RateSource(startMillis, eventsPerMillis, split, splits);
  }

  /** When this split's k-th event is due. */
  private long dueMillis(long k) {
    return startMillis + (long) (indexOf(k) / eventsPerMillis);
  }

  @Override
  protected boolean readable(long k) {
    return dueMillis(k) <= System.currentTimeMillis();
  }

  @Override
  protected long element(long k) {
    return dueMillis(k);
  }

  @Override
  protected Instant timestampOf(long element) {
    return new Instant(element);
  }

  @Override
  protected Instant watermarkBefore(long k) {
    return new Instant(dueMillis(k));
  }
}
