package dev.microbatch.engine.dstream;

import dev.microbatch.engine.event.StageTime;
import java.util.Iterator;

/**
 * The body of a stateful stage: processes one partition's input of one batch against the state
 * that partition has carried since earlier batches.
 *
 * @param <I> input elements (usually {@link Keyed}, from a shuffle)
 * @param <O> output elements
 * @param <S> the partition's state: created once per partition, then handed to every batch, only
 *     ever to the task that runs this partition (so it needs no locks)
 */
@FunctionalInterface
public interface StatefulPartitionFunction<I, O, S> {

  /**
   * @return the outputs, and the partition's watermark hold after this batch: the earliest event
   *     time it may still emit ({@code Watermarks.MAX} when it holds nothing back)
   */
  StageOutput<O> apply(Iterator<I> input, S state, StageTime time, TaskContext task)
      throws Exception;
}
