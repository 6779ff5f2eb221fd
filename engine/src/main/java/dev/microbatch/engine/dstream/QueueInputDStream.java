package dev.microbatch.engine.dstream;

import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.event.Watermarks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A replayable input of queued batches: each engine batch takes the next queued batch and spreads
 * it round-robin over the partitions. Used by tests and by programs that feed data themselves.
 * Its position is the number of queued batches committed, so a failed batch is read again.
 */
public final class QueueInputDStream<T> extends InputDStream<T> {
  private final List<List<T>> queue = new CopyOnWriteArrayList<>();
  private final boolean finite;
  private volatile int committedPosition;

  public QueueInputDStream(StreamOwner context, List<List<T>> batches, boolean finite) {
    super(context, "queue");
    this.finite = finite;
    for (List<T> batch : batches) {
      queue.add(List.copyOf(batch));
    }
  }

  /** Queues one more batch of data; only for inputs that are not finite. */
  public void offer(List<T> batch) {
    if (finite) {
      throw new IllegalStateException("This queue input was created finite; it takes no more data.");
    }
    queue.add(List.copyOf(batch));
  }

  @Override
  protected PartitionRead<T> read(int partition, TaskContext task) {
    int position = committedPosition;
    if (position >= queue.size()) {
      return new PartitionRead<>(List.of(), position, watermarkAt(position));
    }
    List<T> batch = queue.get(position);
    List<T> mine = new ArrayList<>();
    for (int i = partition; i < batch.size(); i += task.numPartitions()) {
      mine.add(batch.get(i));
    }
    return new PartitionRead<>(mine, position + 1, watermarkAt(position + 1));
  }

  // Queued data carries no event time: a finite queue promises nothing until it is read whole.
  private long watermarkAt(int position) {
    return finite && position >= queue.size() ? Watermarks.MAX : Watermarks.MIN;
  }

  @Override
  protected void commit(List<Object> progress) {
    committedPosition = (Integer) progress.get(0);
  }

  /** The position: the number of batches committed, as an int32. */
  @Override
  protected byte[] checkpointPosition() {
    return Encoding.int32(committedPosition);
  }

  @Override
  protected void restorePosition(byte[] position) throws IOException {
    committedPosition = Encoding.int32(position);
  }

  @Override
  public boolean isExhausted() {
    return finite && committedPosition >= queue.size();
  }

  @Override
  public boolean hasReadyData() {
    // A finite queue's batches are all there already: read them back to back, not one per tick.
    return finite && committedPosition < queue.size();
  }
}
