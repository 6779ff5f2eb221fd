package dev.microbatch.engine.dstream;

import java.util.Iterator;

/** The body of an output operation: consumes one partition of a batch. */
@FunctionalInterface
public interface PartitionConsumer<T> {
  void accept(Iterator<T> partition, TaskContext task) throws Exception;
}
