package dev.microbatch.io.beam;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.PartitionReader;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A finite input read whole by the first batch. Until that batch commits, every batch reads it
 * again from the start (a failed batch leaves nothing half-read); afterwards it is exhausted.
 * What it reads does not depend on when it is read, so the engine reads it inside its consumer's
 * stage as the consumer pulls, and never holds the whole input in memory.
 */
public abstract class OneShotInputDStream<T> extends InputDStream<T> {
  private volatile boolean committed;

  protected OneShotInputDStream(StreamingContext context, String name) {
    super(context, name);
  }

  /** The records of this input that belong to {@code partition}, in order, read as pulled. */
  protected abstract Records<T> records(int partition, TaskContext task) throws Exception;

  /** Records read one by one from something that must be closed. */
  public interface Records<T> extends Iterator<T>, AutoCloseable {
    @Override
    void close() throws Exception;

    /** Records already in memory. */
    static <T> Records<T> of(List<T> list) {
      Iterator<T> it = list.iterator();
      return new Records<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public T next() {
          return it.next();
        }

        @Override
        public void close() {}
      };
    }
  }

  @Override
  protected final boolean readsInConsumerStage() {
    return true;
  }

  @Override
  protected final PartitionRead<T> read(int partition, TaskContext task) throws Exception {
    // Read whole in one batch: after it, nothing more will come.
    List<T> all = new ArrayList<>();
    try (Records<T> records = committed ? Records.of(List.of()) : records(partition, task)) {
      records.forEachRemaining(all::add);
    }
    return new PartitionRead<>(all, Boolean.TRUE, Watermarks.MAX);
  }

  @Override
  protected final PartitionReader<T> open(int partition, TaskContext task) throws Exception {
    Records<T> records = committed ? Records.of(Collections.emptyList()) : records(partition, task);
    return new PartitionReader<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public T next() {
        return records.next();
      }

      @Override
      public Object progress() {
        return Boolean.TRUE;
      }

      @Override
      public long watermark() {
        return Watermarks.MAX;
      }

      @Override
      public void close() throws Exception {
        records.close();
      }
    };
  }

  @Override
  protected final void commit(List<Object> progress) {
    committed = true;
  }

  /** The position: one byte, 1 once the read has committed. */
  @Override
  protected final byte[] checkpointPosition() {
    return new byte[] {(byte) (committed ? 1 : 0)};
  }

  @Override
  protected final void restorePosition(byte[] position) throws IOException {
    if (position.length != 1 || position[0] > 1) {
      throw new IOException("Corrupt checkpoint: not the position of a one-shot input");
    }
    committed = position[0] == 1;
  }

  @Override
  public final boolean isExhausted() {
    return committed;
  }

  @Override
  public final boolean hasReadyData() {
    return !committed;
  }
}
