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
import org.joda.time.Instant;

/**
 * The benchmarks' unbounded sources of numbers, split round robin: split s of n reads the
 * elements s, s + n, s + 2n, ..., so a batch that reads m elements per split reads exactly the
 * next n * m of the whole sequence. A split's checkpoint is how many elements it has read. A
 * subclass says when an element may be read, what it is, and the split's watermark.
 */
abstract class RoundRobinSource extends UnboundedSource<Long, RoundRobinSource.Position> {
  protected final int split;
  protected final int splits;

  /** How many elements a split has read; reading resumes after them. */
  record Position(long read) implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  RoundRobinSource(int split, int splits) {
    this.split = split;
    this.splits = splits;
  }

  /** This source as split {@code split} of {@code splits}. */
  protected abstract RoundRobinSource asSplit(int split, int splits);

  /** Whether this split's element number {@code k} may be read now. */
  protected abstract boolean readable(long k);

  /** This split's element number {@code k}. */
  protected abstract long element(long k);

  protected abstract Instant timestampOf(long element);

  /** The watermark of a split whose next element is its number {@code k}. */
  protected abstract Instant watermarkBefore(long k);

  /** Where this split's element number {@code k} stands in the whole sequence. */
  protected final long indexOf(long k) {
    return k * splits + split;
  }

  @Override
  public List<RoundRobinSource> split(int desiredNumSplits, PipelineOptions options) {
    List<RoundRobinSource> result = new ArrayList<>();
    for (int i = 0; i < desiredNumSplits; i++) {
      result.add(asSplit(i, desiredNumSplits));
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
    private Long current;

    Reader(long read) {
      this.read = read;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (!readable(read)) {
        return false;
      }
      current = element(read++);
      return true;
    }

    @Override
    public Long getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return timestampOf(getCurrent());
    }

    @Override
    public Instant getWatermark() {
      return watermarkBefore(read);
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return new Position(read);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return RoundRobinSource.this;
    }

    @Override
    public void close() {}
  }
}
