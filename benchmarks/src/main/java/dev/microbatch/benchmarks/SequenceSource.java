package dev.microbatch.benchmarks;

import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The numbers 0 to {@code total - 1} as an unbounded source, split round robin, so the checkpoint
 * benchmark's phases follow batches, which GenerateSequence's contiguous splits would not give. It
 * stops reading at {@code total} but never ends (its watermark stays at -infinity): the global
 * window's state is not collected at the end, and a pipeline restarted from a checkpoint taken
 * after the last number resumes idle with all its state.
 */
final class SequenceSource extends RoundRobinSource {
  private final long total;

  SequenceSource(long total) {
    this(total, 0, 1);
  }

  private SequenceSource(long total, int split, int splits) {
    super(split, splits);
    this.total = total;
  }

  @Override
  protected RoundRobinSource asSplit(int split, int splits) {
    return new SequenceSource(total, split, splits);
  }

  @Override
  protected boolean readable(long k) {
    return indexOf(k) < total;
  }

  @Override
  protected long element(long k) {
    return indexOf(k);
  }

  @Override
  protected Instant timestampOf(long element) {
    return new Instant(0);
  }

  @Override
  protected Instant watermarkBefore(long k) {
    return BoundedWindow.TIMESTAMP_MIN_VALUE;
  }
}
