package dev.microbatch.translation.metrics;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricName;

/**
 * A counter that adds up one task's increments in a plain field and hands their sum to the
 * container's cell on {@link #flush}: Beam's cell takes an atomic update and marks itself dirty on
 * every increment, which Nexmark's monitors do several times per element. Confined to the task's
 * thread.
 */
final class PendingCounter implements Counter {
  private final Counter cell;
  private long pending;

  PendingCounter(Counter cell) {
    this.cell = cell;
  }

  @Override
  public void inc() {
    pending++;
  }

  @Override
  public void inc(long n) {
    pending += n;
  }

  @Override
  public void dec() {
    pending--;
  }

  @Override
  public void dec(long n) {
    pending -= n;
  }

  @Override
  public MetricName getName() {
    return cell.getName();
  }

  void flush() {
    if (pending != 0) {
      cell.inc(pending);
      pending = 0;
    }
  }
}
