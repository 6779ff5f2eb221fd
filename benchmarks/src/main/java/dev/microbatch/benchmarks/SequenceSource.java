package dev.microbatch.benchmarks;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The numbers 0 to {@code total - 1} as an unbounded source, split round robin (split s of n reads
 * s, s + n, s + 2n, ...), so that a batch that reads m records per split reads exactly the next
 * n * m numbers: the benchmark's phases then follow batches, which GenerateSequence's contiguous
 * splits would not give. It stops reading at {@code total} but never ends (its watermark stays at
 * -infinity): the global window's state is not collected at the end, and a pipeline restarted
 * from a checkpoint taken after the last number resumes idle with all its state.
 */
final class SequenceSource extends UnboundedSource<Long, SequenceSource.Position> {
  private final long total;
  private final int split;
  private final int splits;

  /** How many numbers a split has read; reading resumes after them. */
  record Position(long read) implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  SequenceSource(long total) {
    this(total, 0, 1);
  }

  private SequenceSource(long total, int split, int splits) {
    this.total = total;
    this.split = split;
    this.splits = splits;
  }

  @Override
  public List<SequenceSource> split(int desiredNumSplits, PipelineOptions options) {
    List<SequenceSource> result = new ArrayList<>();
    for (int i = 0; i < desiredNumSplits; i++) {
      result.add(new SequenceSource(total, i, desiredNumSplits));
    }
    return result;
  }

  @Override
  public UnboundedReader<Long> createReader(PipelineOptions options, Position checkpoint) {
    return new Reader(checkpoint == null ? 0 : checkpoint.read());
  }

  @Override
  public Coder<Position> getCheckpointMarkCoder() {
    return SerializableCoder.of(Position.class);
  }

  @Override
  public Coder<Long> getOutputCoder() {
    return VarLongCoder.of();
  }

  private final class Reader extends UnboundedReader<Long> {
    private long read;
    private long current = -1;

    Reader(long read) {
      this.read = read;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      long next = split + read * splits;
      if (next >= total) {
        return false;
      }
      current = next;
      read++;
      return true;
    }

    @Override
    public Long getCurrent() {
      if (current < 0) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(0);
    }

    @Override
    public Instant getWatermark() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return new Position(read);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return SequenceSource.this;
    }

    @Override
    public void close() {}
  }
}
