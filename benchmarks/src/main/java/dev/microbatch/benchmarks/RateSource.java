package dev.microbatch.benchmarks;

import java.io.IOException;
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
 * An unbounded source of events at a fixed rate on the wall clock: event g (over all splits) is due
 * at {@code start + g / rate}; its value and event time are its due time in milliseconds. A reader
 * emits an event once the wall clock has reached its due time, and its watermark is the due time of
 * its next event, so latency measured from the event time is latency from the event's creation.
 */
final class RateSource extends UnboundedSource<Long, RateSource.Position> {
  private final long startMillis;
  private final double eventsPerMillis;
  private final int split;
  private final int splits;

  /** A split's next event index; reading resumes from it. */
  record Position(long next) implements UnboundedSource.CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  RateSource(long startMillis, long eventsPerSecond) {
    this(startMillis, eventsPerSecond / 1000.0, 0, 1);
  }

  private RateSource(long startMillis, double eventsPerMillis, int split, int splits) {
    this.startMillis = startMillis;
    this.eventsPerMillis = eventsPerMillis;
    this.split = split;
    this.splits = splits;
  }

  @Override
  public List<RateSource> split(int desiredNumSplits, PipelineOptions options) {
    List<RateSource> result = new ArrayList<>();
    for (int i = 0; i < desiredNumSplits; i++) {
      result.add(new RateSource(startMillis, eventsPerMillis, i, desiredNumSplits));
    }
    return result;
  }

  /** When this split's k-th event is due. */
  private long dueMillis(long k) {
    return startMillis + (long) ((k * splits + split) / eventsPerMillis);
  }

  @Override
  public UnboundedReader<Long> createReader(PipelineOptions options, Position checkpoint) {
    return new Reader(checkpoint == null ? 0 : checkpoint.next());
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
      if (dueMillis(next) > System.currentTimeMillis()) {
        return false;
      }
      current = dueMillis(next++);
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
      return new Instant(getCurrent());
    }

    @Override
    public Instant getWatermark() {
      return new Instant(dueMillis(next));
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return new Position(next);
    }

    @Override
    public UnboundedSource<Long, ?> getCurrentSource() {
      return RateSource.this;
    }

    @Override
    public void close() throws IOException {}
  }
}
