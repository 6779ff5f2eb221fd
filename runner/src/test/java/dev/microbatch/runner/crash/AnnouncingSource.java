package dev.microbatch.runner.crash;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DelegateCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Instant;

/**
 * An unbounded source of 0, 1, 2, ... whose checkpoint marks announce on standard output when the
 * runner finalizes them ({@code FINALIZED <position>}), as a source that acknowledges what it read
 * (a message queue) would act then. Its mark is the next number to read.
 */
final class AnnouncingSource extends UnboundedSource<Long, AnnouncingSource.Position> {

  /** The next number to read; finalizing it acknowledges everything before it. */
  record Position(long next) implements UnboundedSource.CheckpointMark {
    @Override
    public void finalizeCheckpoint() {
      System.out.println("FINALIZED " + next);
      System.out.flush();
    }
  }

  @Override
  public List<AnnouncingSource> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this);
  }

  @Override
  public UnboundedReader<Long> createReader(PipelineOptions options, Position mark) {
    return new Reader(mark == null ? 0 : mark.next());
  }

  @Override
  public Coder<Position> getCheckpointMarkCoder() {
    return DelegateCoder.of(VarLongCoder.of(), Position::next, Position::new);
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
      current = next++;
      return true;
    }

    @Override
    public Long getCurrent() {
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(current);
    }

    @Override
    public Instant getWatermark() {
      return new Instant(next);
    }

    @Override
    public Position getCheckpointMark() {
      return new Position(next);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return AnnouncingSource.this;
    }

    @Override
    public void close() {}
  }
}
