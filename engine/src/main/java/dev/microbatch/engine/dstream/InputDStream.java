package dev.microbatch.engine.dstream;

import dev.microbatch.engine.event.Watermarks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A replayable input. Reading a batch never changes the input: each partition reads from the last
 * committed position and reports where it would be after this batch; the committer applies that
 * progress with {@link #commit} only once the batch has committed, so a failed batch can be read
 * again from the same position.
 */
public abstract class InputDStream<T> extends DStream<T> {

  protected InputDStream(StreamOwner context, String name) {
    super(context, name);
    context.graph().addInput(this);
  }

  /**
   * What one partition read: its records, the progress to commit if the batch commits, and the
   * partition's watermark after this read ({@link Watermarks#MAX} once it will read nothing more).
   */
  public record PartitionRead<T>(List<T> records, Object progress, long watermark) {}

  /** Reads partition {@code partition} of the current batch; called on a worker thread. */
  protected abstract PartitionRead<T> read(int partition, TaskContext task) throws Exception;

  /**
   * Whether this input may be read inside its only consumer's stage, record by record as the
   * consumer pulls (see {@link #open}), instead of whole as a stage of its own. Such an input holds
   * no batch in memory, so a large bounded read costs no more heap than what its consumer keeps.
   * Only for inputs whose batch does not depend on when in the batch they are read.
   */
  protected boolean readsInConsumerStage() {
    return false;
  }

  /**
   * Opens partition {@code partition} of the current batch for reading inside the consumer's task
   * (worker thread). Only called when {@link #readsInConsumerStage} is true.
   */
  protected PartitionReader<T> open(int partition, TaskContext task) throws Exception {
    throw new UnsupportedOperationException(this + " is only read whole");
  }

  /**
   * Applies the progress of a committed batch, one entry per partition, in partition order. Called
   * on the driver thread, once per committed batch, in batch order.
   */
  protected abstract void commit(List<Object> progress);

  /**
   * The committed position (what the last committed batch read up to) in the input's own
   * documented encoding, for a checkpoint. Called on the driver between batches.
   */
  protected abstract byte[] checkpointPosition() throws IOException;

  /**
   * Moves the input to a position {@link #checkpointPosition} returned, possibly in another
   * process: the next batch reads from there. Called between batches; also rolls back what a
   * failed batch read (with the committed position).
   */
  protected abstract void restorePosition(byte[] position) throws IOException;

  /**
   * What must stay the same for a saved position to be restored (the source, its splits' count
   * and the coder of its marks), compared before anything is restored.
   */
  public String checkpointFingerprint() {
    return getClass().getSimpleName();
  }

  /** The committed position, for the engine's checkpoints. */
  public final byte[] savePosition() throws IOException {
    return checkpointPosition();
  }

  /** Restores a saved position; only the engine calls this, between batches. */
  public final void loadPosition(byte[] position) throws IOException {
    restorePosition(position);
  }

  /** Forgets what a failed batch read: the next batch reads again from the committed position. */
  public void rollBack() throws IOException {
    restorePosition(checkpointPosition());
  }

  /** True when this input will never produce data again (all of a finite input is committed). */
  public abstract boolean isExhausted();

  /**
   * True when data is waiting right now, so the next batch should start at once instead of at the
   * next batch interval (finite inputs that are not yet read).
   */
  public abstract boolean hasReadyData();

  @Override
  public final List<DStream<?>> parents() {
    return List.of();
  }

  @Override
  protected final boolean isStageBoundary() {
    return true;
  }

  /** Whether the engine reads this input inside its consumer's stage; see {@link #readsInConsumerStage}. */
  public final boolean isReadInConsumerStage() {
    return readsInConsumerStage();
  }

  /** Reached only when this input is read inside its consumer's stage. */
  @Override
  protected final Iterator<T> compute(int partition, TaskContext task) throws Exception {
    if (!readsInConsumerStage()) {
      throw new IllegalStateException("Internal error: an input is read only once materialized.");
    }
    return task.readInStage(this, open(partition, task));
  }

  @Override
  protected final Partitions<T> materialize(StageScope scope) {
    List<PartitionRead<T>> reads = scope.runTasks(task -> read(task.partition(), task));
    List<List<T>> partitions = new ArrayList<>(reads.size());
    List<Object> progress = new ArrayList<>(reads.size());
    long records = 0;
    long watermark = Watermarks.MAX;
    for (PartitionRead<T> read : reads) {
      partitions.add(read.records());
      progress.add(read.progress());
      records += read.records().size();
      // An input's watermark is the minimum over its partitions: the slowest one holds it back.
      watermark = Math.min(watermark, read.watermark());
    }
    scope.recordInput(this, records, progress);
    scope.reportWatermark(this, watermark);
    return new Partitions<>(partitions);
  }

  @Override
  protected final long outputWatermark(StageScope scope) {
    return scope.reportedWatermark(this);
  }

  /** Applies committed progress; only the engine's committer calls this. */
  public final void applyCommitted(List<Object> progress) {
    commit(progress);
  }
}
