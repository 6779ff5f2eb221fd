package dev.microbatch.io.beam;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.UserCodeException;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * The records of a partition's bounded splits, one split after another, read as they are pulled.
 * Records are read a chunk at a time inside the source's metrics scope, so what the reader counts
 * lands under the reading step without entering the scope for every record. A reader's failure
 * surfaces as a {@link UserCodeException}, whose cause the runner reports.
 */
final class BoundedSplitRecords<T> implements OneShotInputDStream.Records<WindowedValue<T>> {
  private static final int CHUNK = 256;

  private final Iterator<? extends BoundedSource<T>> splits;
  private final PipelineOptions options;
  private final MetricsContainer metrics;
  private final List<WindowedValue<T>> chunk = new ArrayList<>(CHUNK);
  private int position;
  private BoundedSource.BoundedReader<T> reader;
  private boolean splitsDone;

  BoundedSplitRecords(
      List<? extends BoundedSource<T>> splits, PipelineOptions options, MetricsContainer metrics) {
    this.splits = splits.iterator();
    this.options = options;
    this.metrics = metrics;
  }

  @Override
  public boolean hasNext() {
    while (position == chunk.size() && !splitsDone) {
      readChunk();
    }
    return position < chunk.size();
  }

  @Override
  public WindowedValue<T> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    WindowedValue<T> record = chunk.get(position);
    // Let the consumer's copy be the only one.
    chunk.set(position++, null);
    return record;
  }

  private void readChunk() {
    chunk.clear();
    position = 0;
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics)) {
      while (chunk.size() < CHUNK) {
        boolean more;
        if (reader == null) {
          if (!splits.hasNext()) {
            splitsDone = true;
            return;
          }
          reader = splits.next().createReader(options);
          more = reader.start();
        } else {
          more = reader.advance();
        }
        if (more) {
          chunk.add(
              WindowedValues.timestampedValueInGlobalWindow(
                  reader.getCurrent(), reader.getCurrentTimestamp()));
        } else {
          BoundedSource.BoundedReader<T> finished = reader;
          reader = null;
          finished.close();
        }
      }
    } catch (Exception e) {
      throw UserCodeException.wrap(e);
    }
  }

  @Override
  public void close() throws Exception {
    if (reader != null) {
      BoundedSource.BoundedReader<T> open = reader;
      reader = null;
      open.close();
    }
  }
}
