package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.exec.TaskContext;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The data of a side input in a streaming pipeline: each partition keeps every element it has seen,
 * one immutable chunk per batch, and emits all of them in every batch, so that a view is built from
 * everything that has arrived so far. It holds nothing back: its watermark is its input's.
 */
public final class AccumulatedView<T>
    implements StatefulPartitionFunction<T, T, AccumulatedView.Chunks<T>> {

  /** One partition's elements so far, in immutable chunks. */
  public static final class Chunks<T> {
    private final List<List<T>> chunks = new ArrayList<>();
    private int size;
  }

  @Override
  public StageOutput<T> apply(Iterator<T> input, Chunks<T> state, StageTime time, TaskContext task) {
    List<T> chunk = new ArrayList<>();
    input.forEachRemaining(chunk::add);
    if (!chunk.isEmpty()) {
      state.chunks.add(List.copyOf(chunk));
      state.size += chunk.size();
    }
    return new StageOutput<>(new ChunkedList<>(List.copyOf(state.chunks), state.size), Watermarks.MAX);
  }

  /** A read-only list over immutable chunks, so a batch's snapshot costs one entry per chunk. */
  private static final class ChunkedList<T> extends AbstractList<T> {
    private final List<List<T>> chunks;
    private final int size;

    ChunkedList(List<List<T>> chunks, int size) {
      this.chunks = chunks;
      this.size = size;
    }

    @Override
    public T get(int index) {
      int remaining = index;
      for (List<T> chunk : chunks) {
        if (remaining < chunk.size()) {
          return chunk.get(remaining);
        }
        remaining -= chunk.size();
      }
      throw new IndexOutOfBoundsException(index);
    }

    @Override
    public Iterator<T> iterator() {
      return chunks.stream().flatMap(List::stream).iterator();
    }

    @Override
    public int size() {
      return size;
    }
  }
}
