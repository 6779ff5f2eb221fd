package dev.microbatch.engine.dstream;

import java.util.Iterator;
import java.util.List;

/** A narrow operation: each output partition is a function of the same input partition. */
final class MappedPartitionsDStream<T, U> extends DStream<U> {
  private final DStream<T> parent;
  private final PartitionFunction<T, U> fn;
  private final List<DStream<?>> dependencies;

  MappedPartitionsDStream(
      DStream<T> parent, String opName, PartitionFunction<T, U> fn, List<DStream<?>> deps) {
    super(parent.owner(), opName);
    this.parent = parent;
    this.fn = fn;
    this.dependencies = List.copyOf(deps);
  }

  @Override
  public List<DStream<?>> parents() {
    return List.of(parent);
  }

  @Override
  public List<DStream<?>> dependencies() {
    return dependencies;
  }

  @Override
  protected Iterator<U> compute(int partition, TaskContext task) throws Exception {
    return fn.apply(parent.iterator(partition, task), task);
  }
}
