package dev.microbatch.engine.exec;

import dev.microbatch.engine.dstream.BatchContext;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.PartitionReader;
import dev.microbatch.engine.dstream.Partitions;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.metrics.Accumulator;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The {@link TaskContext} of one task, made by its {@link BatchScope}; confined to its worker thread. */
final class RunningTask implements TaskContext {
  private final BatchScope scope;
  private final int partition;
  private final Map<Accumulator<?>, Object> accumulatorParts = new IdentityHashMap<>();
  private final List<InStageRead<?>> inStageReads = new ArrayList<>(1);
  // Streams whose partition this task computes once for several readers (a shared pass).
  private Map<DStream<?>, Supplier<? extends Iterator<?>>> sharedBranches = Map.of();

  RunningTask(BatchScope scope, int partition) {
    this.scope = scope;
    this.partition = partition;
  }

  @Override
  public BatchContext batch() {
    return scope.context();
  }

  @Override
  public int partition() {
    return partition;
  }

  @Override
  public int numPartitions() {
    return scope.numPartitions();
  }

  /** This task's own part of {@code accumulator}; merged into the batch when the task ends. */
  @SuppressWarnings("unchecked")
  @Override
  public <V> V accumulator(Accumulator<V> accumulator) {
    return (V) accumulatorParts.computeIfAbsent(accumulator, a -> accumulator.newPart());
  }

  /**
   * A value shared by every task of this batch, created once by whichever task asks first. The
   * value must be safe to read from several threads.
   */
  @Override
  public <V> V batchShared(Object key, Supplier<V> init) {
    return scope.shared(key, init);
  }

  /** The batch's data of {@code stream}, which the asking stream declared as a dependency. */
  @Override
  public <T> Partitions<T> materialized(DStream<T> stream) {
    Partitions<T> data = scope.materialized(stream);
    if (data == null) {
      throw new IllegalStateException(
          "Internal error: "
              + stream
              + " was read as a dependency but is not materialized in batch "
              + batch().batchId()
              + "; declare it in dependencies().");
    }
    return data;
  }

  /** The output watermark in this batch of {@code stream}, which the asking stream depends on. */
  @Override
  public long outputWatermark(DStream<?> stream) {
    return scope.computedOutputWatermark(stream);
  }

  /** The batch's data of {@code stream} if it is materialized, else null. */
  @Override
  public <T> Partitions<T> materializedIfAny(DStream<T> stream) {
    return scope.materialized(stream);
  }

  /**
   * Runs {@code action} on the driver thread once this batch has committed (such as finalizing
   * what the batch read or bundle finalization callbacks); never if the batch fails. An action
   * that throws is logged and does not affect the engine.
   */
  @Override
  public void afterCommit(Runnable action) {
    scope.afterCommit(action);
  }

  @Override
  public <T> Iterator<T> readInStage(InputDStream<T> input, PartitionReader<T> reader) {
    InStageRead<T> read = new InStageRead<>(input, reader);
    inStageReads.add(read);
    return read;
  }

  /** Finishes the inputs this task read in its stage and hands what they read to the batch. */
  void finishInStageReads() throws Exception {
    for (InStageRead<?> read : inStageReads) {
      scope.readInStage(read.input(), partition, read.finish());
    }
  }

  /** Closes the readers of a failed task; failures to close are added to {@code failure}. */
  void abandonInStageReads(Throwable failure) {
    for (InStageRead<?> read : inStageReads) {
      try {
        read.close();
      } catch (Exception | Error e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** True once the batch has failed elsewhere or the engine is stopping now. */
  @Override
  public <T> void readThrough(DStream<T> stream, Supplier<Iterator<T>> branches) {
    if (sharedBranches.isEmpty()) {
      sharedBranches = new IdentityHashMap<>();
    }
    sharedBranches.put(stream, branches);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Iterator<T> sharedBranchIfAny(DStream<T> stream) {
    Supplier<? extends Iterator<?>> branches = sharedBranches.get(stream);
    return branches == null ? null : (Iterator<T>) branches.get();
  }

  @Override
  public boolean isCancelled() {
    return scope.isCancelled();
  }

  Map<Accumulator<?>, Object> accumulatorParts() {
    return accumulatorParts;
  }

  BatchScope scope() {
    return scope;
  }
}
