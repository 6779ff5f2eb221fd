package dev.microbatch.translation.metrics;

import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.MetricName;

/**
 * A distribution that folds one task's updates into plain fields and hands them to the container's
 * cell as one update on {@link #flush}: Beam's cell allocates a new value and swaps it in
 * atomically on every update. Confined to the task's thread.
 */
final class PendingDistribution implements Distribution {
  private final Distribution cell;
  private long sum;
  private long count;
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;

  PendingDistribution(Distribution cell) {
    this.cell = cell;
  }

  @Override
  public void update(long value) {
    update(value, 1, value, value);
  }

  @Override
  public void update(long sum, long count, long min, long max) {
    this.sum += sum;
    this.count += count;
    this.min = Math.min(this.min, min);
    this.max = Math.max(this.max, max);
  }

  @Override
  public MetricName getName() {
    return cell.getName();
  }

  void flush() {
    if (count != 0) {
      cell.update(sum, count, min, max);
      sum = 0;
      count = 0;
      min = Long.MAX_VALUE;
      max = Long.MIN_VALUE;
    }
  }
}
