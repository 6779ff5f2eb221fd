package dev.microbatch.runner;

import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DelegateCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * An unbounded source that delivers each of the numbers 0 to {@code count - 1} twice, with the same
 * record id, as a source that redelivers after a reconnect would; it asks to be deduplicated. Its
 * mark is the number of deliveries made, so a reader reopened from it goes on where it was.
 * Once it has delivered everything its watermark is at the end of time.
 */
final class DuplicatingSource extends UnboundedSource<Long, DuplicatingSource.Position> {
  /** How many deliveries a reader has made: where a reopened reader goes on from. */
  record Position(long delivery) implements UnboundedSource.CheckpointMark {
    @Override
    public void finalizeCheckpoint() {}
  }

  private final long count;

  DuplicatingSource(long count) {
    this.count = count;
  }

  @Override
  public List<DuplicatingSource> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this);
  }

  @Override
  public UnboundedReader<Long> createReader(PipelineOptions options, Position checkpoint) {
    return new Reader(checkpoint == null ? -1 : checkpoint.delivery());
  }

  @Override
  public boolean requiresDeduping() {
    return true;
  }

  @Override
  public Coder<Position> getCheckpointMarkCoder() {
    return DelegateCoder.of(VarLongCoder.of(), Position::delivery, Position::new);
  }

  @Override
  public Coder<Long> getOutputCoder() {
    return VarLongCoder.of();
  }

  private final class Reader extends UnboundedReader<Long> {
    // Delivery d carries number d / 2: each number twice in a row.
    private long delivery;

    Reader(long delivery) {
      this.delivery = delivery;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (delivery + 1 >= 2 * count) {
        delivery = 2 * count;
        return false;
      }
      delivery++;
      return true;
    }

    @Override
    public Long getCurrent() {
      if (delivery < 0 || delivery >= 2 * count) {
        throw new NoSuchElementException();
      }
      return delivery / 2;
    }

    @Override
    public byte[] getCurrentRecordId() {
      return Long.toString(getCurrent()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(getCurrent());
    }

    @Override
    public Instant getWatermark() {
      return delivery >= 2 * count ? BoundedWindow.TIMESTAMP_MAX_VALUE : new Instant(delivery / 2);
    }

    @Override
    public Position getCheckpointMark() {
      return new Position(delivery);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return DuplicatingSource.this;
    }

    @Override
    public void close() {}
  }
}
