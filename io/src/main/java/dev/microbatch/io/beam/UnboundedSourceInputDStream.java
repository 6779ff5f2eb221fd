package dev.microbatch.io.beam;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.exec.Failures;
import dev.microbatch.engine.time.Clock;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.ValueWithRecordId;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * A Beam {@link UnboundedSource} read batch by batch. The source is split once ({@link
 * ReadBounds#desiredSplits}), its splits dealt out to the partitions; each partition keeps its
 * splits' readers open across batches and reads, round robin over them, at most {@code
 * maxRecordsPerBatch} records (fewer under backpressure) and for at most {@code maxReadMillis} per
 * batch. A partition's watermark is the minimum of its splits' (the slowest
 * split holds it back; a finished split is at +infinity). The checkpoint marks a batch read up to
 * are finalized only after that batch has committed. {@link ReadBounds} turn the read into a
 * bounded one, which ends once every split has reached its bound.
 *
 * @param <T> what the source reads
 * @param <O> what the stream carries: each record as read, or with its record id
 */
public final class UnboundedSourceInputDStream<T, O> extends InputDStream<WindowedValue<O>> {

  private final UnboundedSource<T, ?> source;
  private final PipelineOptions options;
  private final ReadMetrics metrics;
  private final long maxRecordsPerBatch;
  private final long maxReadMillis;
  private final ReadBounds bounds;
  private final Function<UnboundedSource.UnboundedReader<T>, O> element;
  private final Clock clock;
  private final int partitions;
  private final AtomicReferenceArray<List<UnboundedSplitReader<T, O>>> readers;
  private volatile boolean exhausted;
  private volatile boolean backlog = true;
  private volatile List<? extends UnboundedSource<T, ?>> splits;

  /** What one partition read in one batch: where each of its splits stands. */
  private record Progress(List<SplitPosition> splits, boolean finished, boolean hitLimit) {}

  /**
   * Where one split stands after a batch: its mark (null before its reader opened), the records
   * it read and when its read time ends (for a bounded read), and whether it will read nothing
   * more.
   */
  record SplitPosition(
      int index,
      UnboundedSource.CheckpointMark mark,
      long recordsRead,
      boolean finished,
      long deadline) {}

  // The position of every split as of the last committed batch, by split index (driver thread;
  // read by the tasks that reopen readers).
  private final ConcurrentHashMap<Integer, SplitPosition> committed = new ConcurrentHashMap<>();

  /** An unbounded read: each record as the source reads it. */
  public static <T> UnboundedSourceInputDStream<T, T> unbounded(
      StreamingContext context,
      String name,
      UnboundedSource<T, ?> source,
      PipelineOptions options,
      long maxRecordsPerBatch,
      long maxReadMillis,
      ReadMetrics metrics) {
    return new UnboundedSourceInputDStream<>(
        context,
        name,
        source,
        options,
        maxRecordsPerBatch,
        maxReadMillis,
        metrics,
        ReadBounds.UNBOUNDED,
        UnboundedSource.UnboundedReader::getCurrent);
  }

  /**
   * A read that ends at {@code bounds} ({@link ReadBounds#UNBOUNDED}: never), each record with its
   * id, so that a source that may read a record twice can be deduplicated downstream.
   */
  public static <T> UnboundedSourceInputDStream<T, ValueWithRecordId<T>> withIds(
      StreamingContext context,
      String name,
      UnboundedSource<T, ?> source,
      PipelineOptions options,
      long maxRecordsPerBatch,
      long maxReadMillis,
      ReadMetrics metrics,
      ReadBounds bounds) {
    return new UnboundedSourceInputDStream<>(
        context,
        name,
        source,
        options,
        maxRecordsPerBatch,
        maxReadMillis,
        metrics,
        bounds,
        reader -> new ValueWithRecordId<>(reader.getCurrent(), reader.getCurrentRecordId()));
  }

  private UnboundedSourceInputDStream(
      StreamingContext context,
      String name,
      UnboundedSource<T, ?> source,
      PipelineOptions options,
      long maxRecordsPerBatch,
      long maxReadMillis,
      ReadMetrics metrics,
      ReadBounds bounds,
      Function<UnboundedSource.UnboundedReader<T>, O> element) {
    super(context, name);
    this.source = source;
    this.options = options;
    this.metrics = metrics;
    this.maxRecordsPerBatch = maxRecordsPerBatch;
    this.maxReadMillis = maxReadMillis;
    this.bounds = bounds;
    this.element = element;
    this.clock = context.config().clock();
    this.partitions = context.config().parallelism();
    this.readers = new AtomicReferenceArray<>(partitions);
    context.addCloseHook(this::closeReaders);
  }

  @Override
  protected PartitionRead<WindowedValue<O>> read(int partition, TaskContext task) throws Exception {
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics.container(task))) {
      List<UnboundedSplitReader<T, O>> own = readersOf(partition);
      List<WindowedValue<O>> records = new ArrayList<>();
      long budget = Math.min(maxRecordsPerBatch, task.batch().recordLimitPerPartition());
      long deadline = clock.millis() + maxReadMillis;
      boolean progressed = true;
      // Round robin, a fair share at a time, while some split has data and budget is left.
      while (progressed && records.size() < budget && clock.millis() < deadline) {
        progressed = false;
        long left = budget - records.size();
        int share = (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / Math.max(1, own.size())));
        for (UnboundedSplitReader<T, O> reader : own) {
          int want = (int) Math.min(share, budget - records.size());
          if (want > 0 && reader.read(want, options, records) > 0) {
            progressed = true;
          }
        }
      }
      long watermark = Watermarks.MAX;
      boolean finished = true;
      List<SplitPosition> positions = new ArrayList<>(own.size());
      List<UnboundedSource.CheckpointMark> marksRead = new ArrayList<>(own.size());
      for (UnboundedSplitReader<T, O> reader : own) {
        if (reader.isOpen()) {
          marksRead.add(reader.checkpoint());
        }
        // Finished first: a split that finishes in between then still reports its watermark.
        boolean splitFinished = reader.isFinished();
        finished &= splitFinished;
        watermark = Math.min(watermark, reader.watermark());
        positions.add(
            new SplitPosition(
                reader.index(),
                reader.checkpoint(),
                reader.recordsRead(),
                splitFinished,
                reader.deadline()));
      }
      boolean hitLimit = records.size() >= budget;
      // Only marks of readers that read in this batch (a restored mark was finalized before), and
      // only once the batch committed and, with checkpoints, a checkpoint covering it is durable:
      // the engine holds the batch's after-commit actions until then and drops them if it fails.
      if (!marksRead.isEmpty()) {
        task.afterCommit(() -> metrics.afterCommit(() -> finalizeAll(marksRead)));
      }
      return new PartitionRead<>(records, new Progress(positions, finished, hitLimit), watermark);
    }
  }

  private List<UnboundedSplitReader<T, O>> readersOf(int partition) throws Exception {
    List<UnboundedSplitReader<T, O>> own = readers.get(partition);
    if (own == null) {
      own = new ArrayList<>();
      List<? extends UnboundedSource<T, ?>> all = splits();
      for (int index : BoundedSplits.indicesOwnedBy(all.size(), partition, partitions)) {
        SplitPosition from = committed.get(index);
        own.add(
            new UnboundedSplitReader<>(
                index,
                all.get(index),
                element,
                bounds.recordsOfSplit(index, all.size()),
                bounds.maxReadMillis(),
                clock,
                from == null ? new SplitPosition(index, null, 0, false, Long.MAX_VALUE) : from));
      }
      readers.set(partition, own);
    }
    return own;
  }

  private List<? extends UnboundedSource<T, ?>> splits() throws Exception {
    List<? extends UnboundedSource<T, ?>> known = splits;
    if (known == null) {
      synchronized (this) {
        if (splits == null) {
          // A source that cannot split fails the pipeline with its own exception, unwrapped (as on
          // DirectRunner): its message tells the user what is wrong, such as a missing topic.
          splits = source.split(bounds.desiredSplits(partitions), options);
        }
        known = splits;
      }
    }
    return known;
  }

  /** Where the committed batch left each split. */
  @Override
  protected void commit(List<Object> progress) {
    boolean allFinished = true;
    boolean anyHitLimit = false;
    for (Object part : progress) {
      Progress read = (Progress) part;
      allFinished &= read.finished();
      anyHitLimit |= read.hitLimit();
      for (SplitPosition split : read.splits()) {
        committed.put(split.index(), split);
      }
    }
    exhausted = allFinished;
    backlog = anyHitLimit;
  }

  /**
   * Finalizes every checkpoint, even after one fails; what the source reports meanwhile (KafkaIO
   * counts the offset commits it enqueues) is the read's. The batch's data is committed, but a source
   * not told it may release what it read (a Kafka offset commit, an acknowledgement) must not pass
   * silently: the first failure is thrown, later ones suppressed in it.
   */
  private void finalizeAll(List<UnboundedSource.CheckpointMark> checkpoints) {
    Exception failure = null;
    for (UnboundedSource.CheckpointMark checkpoint : checkpoints) {
      try {
        checkpoint.finalizeCheckpoint();
      } catch (IOException | RuntimeException e) {
        failure = Failures.firstWithSuppressed(failure, e);
      }
    }
    if (failure != null) {
      throw new UncheckedIOException(
          "Finalizing a checkpoint of " + source + " failed",
          failure instanceof IOException io ? io : new IOException(failure));
    }
  }

  /**
   * The position ({@link UnboundedPositionCodec}): the splits as assigned and each split's
   * committed mark, encoded with the source's own mark coder.
   */
  @Override
  protected byte[] checkpointPosition() throws IOException {
    return UnboundedPositionCodec.encode(
        splits, committed, source.getCheckpointMarkCoder(), exhausted, backlog);
  }

  /** Reopens every split's reader from its saved mark, on the splits as they were assigned. */
  @Override
  protected void restorePosition(byte[] position) throws IOException {
    UnboundedPositionCodec.Decoded<T> decoded =
        UnboundedPositionCodec.decode(position, source.getCheckpointMarkCoder());
    closeReaders();
    synchronized (this) {
      splits = decoded.splits();
    }
    committed.clear();
    committed.putAll(decoded.positions());
    exhausted = decoded.exhausted();
    backlog = decoded.backlog();
  }

  /** The source, the number of splits it is asked for, and the coder of its marks. */
  @Override
  public String checkpointFingerprint() {
    return "unbounded source "
        + source.getClass().getName()
        + " splits="
        + bounds.desiredSplits(partitions)
        + " marks="
        + source.getCheckpointMarkCoder().getClass().getName();
  }

  @Override
  public boolean isExhausted() {
    return exhausted;
  }

  /** Read again at once while a batch filled its budget: the source has a backlog. */
  @Override
  public boolean hasReadyData() {
    return backlog && !exhausted;
  }

  private void closeReaders() throws IOException {
    for (int p = 0; p < partitions; p++) {
      List<UnboundedSplitReader<T, O>> own = readers.getAndSet(p, null);
      if (own != null) {
        for (UnboundedSplitReader<T, O> reader : own) {
          reader.close();
        }
      }
    }
  }
}
