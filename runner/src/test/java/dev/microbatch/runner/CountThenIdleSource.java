package dev.microbatch.runner;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * An unbounded source of the numbers 0 to count - 1, after which it has nothing more and never
 * ends: a streaming pipeline over it keeps running, with empty batches, once it has read them all.
 */
final class CountThenIdleSource extends UnboundedSource<Long, CountThenIdleSource.Next> {
  private final long count;

  CountThenIdleSource(long count) {
    this.count = count;
  }

  /** The next number to emit. */
  record Next(long value) implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  @Override
  public List<CountThenIdleSource> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this);
  }

  @Override
  public UnboundedReader<Long> createReader(PipelineOptions options, Next mark) {
    return new Reader(mark == null ? 0 : mark.value());
  }

  @Override
  public Coder<Next> getCheckpointMarkCoder() {
    return SerializableCoder.of(Next.class);
  }

  @Override
  public Coder<Long> getOutputCoder() {
    return VarLongCoder.of();
  }

  private final class Reader extends UnboundedReader<Long> {
    private long next;
    private long current = -1;

    Reader(long next) {
      this.next = next;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (next >= count) {
        return false;
      }
      current = next++;
      return true;
    }

    @Override
    public Long getCurrent() {
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public Instant getWatermark() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return new Next(next);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return CountThenIdleSource.this;
    }

    @Override
    public void close() {}
  }
}
