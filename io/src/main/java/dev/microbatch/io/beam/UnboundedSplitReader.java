package dev.microbatch.io.beam;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.time.Clock;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * The open reader of one split of an unbounded source, kept across batches. Every element it
 * reports is consumed at once, so the next read always begins by advancing the reader; the reader
 * is opened on first use. A bounded read stops the split after its share of records or once its
 * read time is up. Confined to the task of the partition that owns the split.
 */
final class UnboundedSplitReader<T, O> implements AutoCloseable {
  private final int index;
  private final UnboundedSource<T, ?> split;
  private final UnboundedSource.CheckpointMark restoreFrom;
  private final Function<UnboundedSource.UnboundedReader<T>, O> element;
  private final long maxRecords;
  private final long maxReadMillis;
  private final Clock clock;
  private UnboundedSource.UnboundedReader<T> reader;
  private long recordsRead;
  private long deadline = Long.MAX_VALUE;
  private boolean finished;

  /** A reader of split {@code index} that starts where {@code from} says the split stands. */
  UnboundedSplitReader(
      int index,
      UnboundedSource<T, ?> split,
      Function<UnboundedSource.UnboundedReader<T>, O> element,
      long maxRecords,
      long maxReadMillis,
      Clock clock,
      UnboundedSourceInputDStream.SplitPosition from) {
    this.index = index;
    this.split = split;
    this.restoreFrom = from.mark();
    this.recordsRead = from.recordsRead();
    this.finished = from.finished();
    this.deadline = from.deadline();
    this.element = element;
    this.maxRecords = maxRecords;
    this.maxReadMillis = maxReadMillis;
    this.clock = clock;
  }

  /**
   * Reads at most {@code max} elements into {@code out} until the reader has nothing ready.
   *
   * @return how many it read
   */
  int read(int max, PipelineOptions options, List<WindowedValue<O>> out) throws IOException {
    if (isFinished()) {
      return 0;
    }
    long limit = Math.min(max, maxRecords - recordsRead);
    boolean available;
    if (reader == null) {
      reader = createReader(options);
      // A bounded read's time counts from the split's first read, also across restores.
      if (deadline == Long.MAX_VALUE && maxReadMillis != Long.MAX_VALUE) {
        deadline = clock.millis() + maxReadMillis;
      }
      available = reader.start();
    } else {
      available = reader.advance();
    }
    int read = 0;
    while (available) {
      out.add(
          WindowedValues.timestampedValueInGlobalWindow(
              element.apply(reader), reader.getCurrentTimestamp()));
      recordsRead++;
      if (++read >= limit) {
        break;
      }
      available = reader.advance();
    }
    return read;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private UnboundedSource.UnboundedReader<T> createReader(PipelineOptions options) throws IOException {
    // The mark came from this split's own reader (or its coder): it is of the split's mark type.
    return ((UnboundedSource) split).createReader(options, restoreFrom);
  }

  int index() {
    return index;
  }

  long recordsRead() {
    return recordsRead;
  }

  /** When a read bounded in time stops (engine clock); Long.MAX_VALUE before it starts or unbounded. */
  long deadline() {
    return deadline;
  }

  /** The split's watermark: -infinity until its reader is open, +infinity once it is finished. */
  long watermark() {
    if (isFinished()) {
      return Watermarks.MAX;
    }
    return reader == null ? Watermarks.MIN : BeamTime.toEngine(reader.getWatermark());
  }

  /**
   * Whether the split will read nothing more: its source ended or a bound is reached. Once true it
   * stays true, so the split's watermark and its being finished always agree.
   */
  boolean isFinished() {
    if (!finished) {
      finished =
          recordsRead >= maxRecords
              || reader != null
                  && (clock.millis() >= deadline
                      || BeamTime.toEngine(reader.getWatermark()) == Watermarks.MAX);
    }
    return finished;
  }

  /**
   * The reader's checkpoint as of now; before the reader is open, the mark it would start from
   * (null for a split never read).
   */
  UnboundedSource.CheckpointMark checkpoint() {
    return reader == null ? restoreFrom : reader.getCheckpointMark();
  }

  boolean isOpen() {
    return reader != null;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
