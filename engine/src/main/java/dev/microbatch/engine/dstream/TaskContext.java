package dev.microbatch.engine.dstream;

import dev.microbatch.engine.metrics.Accumulator;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * What a task (one partition of one stage of one batch) may see. A task context is confined to
 * the worker thread that runs the task; the executor provides it.
 */
public interface TaskContext {
  BatchContext batch();

  int partition();

  int numPartitions();

  /** This task's own part of {@code accumulator}; merged into the batch when the task ends. */
  <V> V accumulator(Accumulator<V> accumulator);

  /**
   * A value shared by every task of this batch, created once by whichever task asks first. The
   * value must be safe to read from several threads.
   */
  <V> V batchShared(Object key, Supplier<V> init);

  /** The batch's data of {@code stream}, which the asking stream declared as a dependency. */
  <T> Partitions<T> materialized(DStream<T> stream);

  /** The output watermark in this batch of {@code stream}, which the asking stream depends on. */
  long outputWatermark(DStream<?> stream);

  /** The batch's data of {@code stream} if it is materialized, else null. */
  <T> Partitions<T> materializedIfAny(DStream<T> stream);

  /**
   * Runs {@code action} on the driver thread once this batch has committed (such as finalizing
   * what the batch read or bundle finalization callbacks); never if the batch fails. An action
   * that throws is logged and does not affect the engine.
   */
  void afterCommit(Runnable action);

  /**
   * Reads {@code input}'s partition in this task as its records are pulled: the executor closes
   * the reader when the task ends and records the input's progress, reading to the end whatever
   * the task left unread (as a whole read would have read it).
   */
  <T> Iterator<T> readInStage(InputDStream<T> input, PartitionReader<T> reader);

  /**
   * Has each later computation of {@code stream}'s partition in this task take its elements from
   * the next of {@code branches} instead (see {@link SharedPassStage}).
   */
  <T> void readThrough(DStream<T> stream, Supplier<Iterator<T>> branches);

  /** The next branch {@link #readThrough} gave for {@code stream} in this task, or null. */
  <T> Iterator<T> sharedBranchIfAny(DStream<T> stream);

  /** True once the batch has failed elsewhere or the engine is stopping now. */
  boolean isCancelled();
}
