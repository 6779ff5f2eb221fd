package dev.microbatch.engine.dstream;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The union of streams: partition i holds partition i of every parent, parent by parent. */
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
    List<Iterator<T>> parts = new ArrayList<>(inputs.size());
    for (DStream<T> input : inputs) {
      parts.add(input.iterator(partition, task));
    }
    return Iterators.concat(parts.iterator());
  }
}
