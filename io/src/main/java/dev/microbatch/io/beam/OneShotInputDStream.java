package dev.microbatch.io.beam;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import java.io.IOException;
import java.util.List;

/**
 * A finite input read whole by the first batch. Until that batch commits, every batch reads it
 * again from the start (a failed batch leaves nothing half-read); afterwards it is exhausted.
 */
public abstract class OneShotInputDStream<T> extends InputDStream<T> {
  private volatile boolean committed;

  protected OneShotInputDStream(StreamingContext context, String name) {
    super(context, name);
  }

  /** Reads all of this input's data that belongs to {@code partition}. */
  protected abstract List<T> readAll(int partition, TaskContext task) throws Exception;

  @Override
  protected final PartitionRead<T> read(int partition, TaskContext task) throws Exception {
    // Read whole in one batch: after it, nothing more will come.
    return new PartitionRead<>(
        committed ? List.of() : readAll(partition, task), Boolean.TRUE, Watermarks.MAX);
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
