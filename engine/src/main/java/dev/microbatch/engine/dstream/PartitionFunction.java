package dev.microbatch.engine.dstream;

import java.util.Iterator;

/**
 * Turns one partition's input into its output, lazily: narrow operations chain these iterators so
 * that a whole chain runs in one pass per partition without intermediate collections.
 */
@FunctionalInterface
public interface PartitionFunction<T, U> {
  Iterator<U> apply(Iterator<T> input, TaskContext task) throws Exception;
}
