package dev.microbatch.io.beam;

import dev.microbatch.engine.event.Watermarks;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * The open reader of one split of an unbounded source, kept across batches. Every element it
 * reports is consumed at once, so the next read always begins by advancing the reader; the reader
 * is opened on first use. Confined to the task of the partition that owns the split.
 */
final class UnboundedSplitReader<T> implements AutoCloseable {
  private final UnboundedSource<T, ?> split;
  private UnboundedSource.UnboundedReader<T> reader;

  UnboundedSplitReader(UnboundedSource<T, ?> split) {
    this.split = split;
  }

  /**
   * Reads at most {@code max} elements into {@code out} until the reader has nothing ready.
   *
   * @return how many it read
   */
  int read(int max, PipelineOptions options, List<WindowedValue<T>> out) throws IOException {
    if (isFinished()) {
      return 0;
    }
    boolean available;
    if (reader == null) {
      reader = split.createReader(options, null);
      available = reader.start();
    } else {
      available = reader.advance();
    }
    int read = 0;
    while (available) {
      out.add(
          WindowedValues.timestampedValueInGlobalWindow(
              reader.getCurrent(), reader.getCurrentTimestamp()));
      if (++read >= max) {
        break;
      }
      available = reader.advance();
    }
    return read;
  }

  /** The split's watermark: -infinity until its reader is open, +infinity once it is finished. */
  long watermark() {
    return reader == null ? Watermarks.MIN : BeamTime.toEngine(reader.getWatermark());
  }

  boolean isFinished() {
    return reader != null && watermark() == Watermarks.MAX;
  }

  /** The reader's checkpoint as of now; null before the reader is open. */
  UnboundedSource.CheckpointMark checkpoint() {
    return reader == null ? null : reader.getCheckpointMark();
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
