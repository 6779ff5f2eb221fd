package dev.microbatch.io.beam;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * A Beam {@link BoundedSource} read as a stream: split once across the partitions, then each
 * partition reads at most {@code maxRecordsPerBatch} records per batch (fewer under backpressure)
 * from its splits, in order.
 * A partition's position (which of its splits, how many records into it) commits with the batch;
 * its reader stays open across batches and is reopened at the committed position if a batch is
 * read again. A partition's watermark is -infinity until it has read everything, then +infinity.
 */
public final class StreamedBoundedSourceInputDStream<T> extends InputDStream<WindowedValue<T>> {
  private final BoundedSource<T> source;
  private final PipelineOptions options;
  private final Function<TaskContext, MetricsContainer> metrics;
  private final long maxRecordsPerBatch;
  private final int partitions;
  private final AtomicReferenceArray<Position> committed;
  private final AtomicReferenceArray<OpenReader<T>> readers;
  private volatile List<? extends BoundedSource<T>> splits;

  /** Where a partition is: the index among its own splits and the records read from that split. */
  record Position(int split, long records) {
    static final Position START = new Position(0, 0);
  }

  private record OpenReader<T>(Position position, BoundedSource.BoundedReader<T> reader, boolean hasCurrent) {}

  public StreamedBoundedSourceInputDStream(
      StreamingContext context,
      String name,
      BoundedSource<T> source,
      PipelineOptions options,
      long maxRecordsPerBatch,
      Function<TaskContext, MetricsContainer> metrics) {
    super(context, name);
    if (maxRecordsPerBatch < 1) {
      throw new IllegalArgumentException(
          "maxRecordsPerBatch must be at least 1, got " + maxRecordsPerBatch);
    }
    this.source = source;
    this.options = options;
    this.metrics = metrics;
    this.maxRecordsPerBatch = maxRecordsPerBatch;
    this.partitions = context.config().parallelism();
    this.committed = new AtomicReferenceArray<>(partitions);
    this.readers = new AtomicReferenceArray<>(partitions);
    for (int p = 0; p < partitions; p++) {
      committed.set(p, Position.START);
    }
    context.addCloseHook(this::closeReaders);
  }

  @Override
  protected PartitionRead<WindowedValue<T>> read(int partition, TaskContext task) throws Exception {
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics.apply(task))) {
      List<? extends BoundedSource<T>> own = BoundedSplits.ownedBy(splits(), partition, partitions);
      Position position = committed.get(partition);
      List<WindowedValue<T>> records = new ArrayList<>();
      long budget = Math.min(maxRecordsPerBatch, task.batch().recordLimitPerPartition());
      while (position.split() < own.size() && records.size() < budget) {
        OpenReader<T> open = readerAt(partition, own, position);
        boolean hasCurrent = open.hasCurrent();
        BoundedSource.BoundedReader<T> reader = open.reader();
        long read = position.records();
        while (hasCurrent && records.size() < budget) {
          records.add(
              WindowedValues.timestampedValueInGlobalWindow(
                  reader.getCurrent(), reader.getCurrentTimestamp()));
          read++;
          hasCurrent = reader.advance();
        }
        if (hasCurrent) {
          position = new Position(position.split(), read);
          readers.set(partition, new OpenReader<>(position, reader, true));
        } else {
          reader.close();
          readers.set(partition, null);
          position = new Position(position.split() + 1, 0);
        }
      }
      long watermark = position.split() >= own.size() ? Watermarks.MAX : Watermarks.MIN;
      return new PartitionRead<>(records, position, watermark);
    }
  }

  /** The reader of the split at {@code position}, reopened there unless it already stands there. */
  private OpenReader<T> readerAt(
      int partition, List<? extends BoundedSource<T>> own, Position position) throws IOException {
    OpenReader<T> open = readers.get(partition);
    if (open != null && open.position().equals(position)) {
      return open;
    }
    if (open != null) {
      open.reader().close();
    }
    BoundedSource.BoundedReader<T> reader = own.get(position.split()).createReader(options);
    boolean hasCurrent = reader.start();
    for (long skipped = 0; hasCurrent && skipped < position.records(); skipped++) {
      hasCurrent = reader.advance();
    }
    open = new OpenReader<>(position, reader, hasCurrent);
    readers.set(partition, open);
    return open;
  }

  private List<? extends BoundedSource<T>> splits() {
    List<? extends BoundedSource<T>> known = splits;
    if (known == null) {
      synchronized (this) {
        if (splits == null) {
          splits = BoundedSplits.split(source, partitions, options);
        }
        known = splits;
      }
    }
    return known;
  }

  @Override
  protected void commit(List<Object> progress) {
    for (int p = 0; p < progress.size(); p++) {
      committed.set(p, (Position) progress.get(p));
    }
  }

  /**
   * The position: byte 1 and the splits ({@link SourceSplitsCodec}) once split, else byte 0; then
   * int32 partitions, each int32 index among the partition's splits and int64 records read from it.
   */
  @Override
  protected byte[] checkpointPosition() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    List<? extends BoundedSource<T>> known = splits;
    out.writeByte(known == null ? 0 : 1);
    if (known != null) {
      SourceSplitsCodec.write(out, known);
    }
    out.writeInt(partitions);
    for (int p = 0; p < partitions; p++) {
      out.writeInt(committed.get(p).split());
      out.writeLong(committed.get(p).records());
    }
    out.flush();
    return bytes.toByteArray();
  }

  @Override
  protected void restorePosition(byte[] position) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(position));
    List<? extends BoundedSource<T>> restored = in.readByte() == 1 ? SourceSplitsCodec.read(in) : null;
    int count = in.readInt();
    if (count != partitions) {
      throw new IOException(
          "The checkpoint of " + name() + " has " + count + " partitions, this run " + partitions);
    }
    closeReaders();
    synchronized (this) {
      splits = restored;
    }
    for (int p = 0; p < partitions; p++) {
      committed.set(p, new Position(in.readInt(), in.readLong()));
    }
  }

  @Override
  public String checkpointFingerprint() {
    return "bounded source " + source.getClass().getName();
  }

  @Override
  public boolean isExhausted() {
    if (splits == null) {
      return false;
    }
    for (int p = 0; p < partitions; p++) {
      if (committed.get(p).split() < BoundedSplits.ownedBy(splits, p, partitions).size()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean hasReadyData() {
    return !isExhausted();
  }

  private void closeReaders() throws IOException {
    for (int p = 0; p < partitions; p++) {
      OpenReader<T> open = readers.getAndSet(p, null);
      if (open != null) {
        open.reader().close();
      }
    }
  }
}
