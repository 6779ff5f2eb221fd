package dev.microbatch.streaming.internal;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.streaming.ContinuousInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;

/**
 * The input of {@code queueStream}: each batch takes the next queued collection (or, when not one
 * at a time, every queued one) and spreads it round-robin over the partitions. What the user
 * queued is moved into a log as it is seen, and the position is the number of queued collections
 * the committed batches consumed, so a failed batch reads the same data again. A restored position
 * skips that many of the collections queued in the new process: a program that queues the same
 * data again continues exactly where it stopped.
 */
public final class QueueInput<T> extends ContinuousInput<T> {
  private final Queue<? extends Collection<T>> queue;
  private final boolean oneAtATime;
  private final List<List<T>> log = new ArrayList<>();
  private volatile int committed;

  public QueueInput(StreamingContext context, Queue<? extends Collection<T>> queue, boolean oneAtATime) {
    super(context, "queueStream");
    this.queue = queue;
    this.oneAtATime = oneAtATime;
  }

  /** The queued collections this batch reads, [from, to), decided once per batch. */
  private record Range(int from, int to) {}

  @Override
  protected PartitionRead<T> read(int partition, TaskContext task) {
    Range range = task.batchShared(this, this::nextRange);
    List<T> mine = new ArrayList<>();
    int index = 0;
    for (int q = range.from(); q < range.to(); q++) {
      for (T element : logged(q)) {
        if (index++ % task.numPartitions() == partition) {
          mine.add(element);
        }
      }
    }
    return new PartitionRead<>(mine, range.to(), Watermarks.MIN);
  }

  private synchronized Range nextRange() {
    drainQueue();
    // After a restore, the collections up to the position are skipped as they are queued again.
    if (log.size() <= committed) {
      return new Range(committed, committed);
    }
    return new Range(committed, oneAtATime ? committed + 1 : log.size());
  }

  private synchronized List<T> logged(int index) {
    return log.get(index);
  }

  private void drainQueue() {
    Collection<T> next;
    while ((next = queue.poll()) != null) {
      log.add(List.copyOf(next));
    }
  }

  @Override
  protected void commit(List<Object> progress) {
    committed = (Integer) progress.get(0);
  }

  /** The number of queued collections consumed, as an int32. */
  @Override
  protected byte[] checkpointPosition() {
    return Encoding.int32(committed);
  }

  @Override
  protected void restorePosition(byte[] position) throws IOException {
    committed = Encoding.int32(position);
  }

}
