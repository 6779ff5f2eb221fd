package dev.microbatch.engine.dstream;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The union of streams: partition i holds partition i of every parent, parent by parent; or, when
 * the parents all read one stream through fused operators (a join's branches), interleaved as one
 * pass over that stream yields them (see {@link TeeReaders}).
 */
final class UnionDStream<T> extends DStream<T> {
  private final List<DStream<T>> inputs;

  UnionDStream(StreamOwner context, List<DStream<T>> inputs) {
    super(context, "union");
    this.inputs = List.copyOf(inputs);
  }

  @Override
  public List<DStream<?>> parents() {
    return new ArrayList<>(inputs);
  }

  @Override
  protected Iterator<T> compute(int partition, TaskContext task) throws Exception {
    DStream<?> shared = owner().graph().sharedByUnion(this);
    if (shared != null) {
      return interleaved(shared, task);
    }
    List<Iterator<T>> parts = new ArrayList<>(inputs.size());
    for (DStream<T> input : inputs) {
      parts.add(input.iterator(partition, task));
    }
    return Iterators.concat(parts.iterator());
  }

  private <S> Iterator<T> interleaved(DStream<S> shared, TaskContext task) throws Exception {
    TeeReaders<S> readers = new TeeReaders<>(shared, inputs.size(), task);
    for (DStream<T> input : inputs) {
      readers.addChain(input, task);
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return readers.advance();
      }

      @Override
      public T next() {
        return readers.take();
      }
    };
  }
}
