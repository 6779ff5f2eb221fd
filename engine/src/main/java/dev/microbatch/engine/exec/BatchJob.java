package dev.microbatch.engine.exec;

import dev.microbatch.engine.dstream.BatchContext;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.OutputOperation;
import dev.microbatch.engine.dstream.StreamGraph;
import dev.microbatch.engine.time.Clock;
import java.util.Iterator;
import java.util.List;

/**
 * Evaluates one batch: runs the graph's stages in waves (see {@link StreamGraph#stagesInWaves}),
 * then every output operation, in registration order, over every partition.
 */
public final class BatchJob {
  private final StreamGraph graph;
  private final WorkerPool pool;
  private final int numPartitions;
  private final Clock clock;

  public BatchJob(StreamGraph graph, WorkerPool pool, int numPartitions, Clock clock) {
    this.graph = graph;
    this.pool = pool;
    this.numPartitions = numPartitions;
    this.clock = clock;
  }

  /**
   * Evaluates {@code batch} without committing anything.
   *
   * @throws StageFailedException if a task failed; its cause is the task's exception
   */
  public BatchResult evaluate(BatchContext batch, WorkerPool.BooleanFlag cancelled) {
    long startedAt = clock.millis();
    BatchScope scope = new BatchScope(batch, graph, pool, numPartitions, cancelled, clock);
    // Every input is read in every batch, even one that no output consumes: otherwise its progress
    // never commits, a finite one never counts as exhausted, and the context never stops. Inputs
    // read inside their consumer's stage are read there, or after the outputs if none pulled.
    try {
      for (InputDStream<?> input : graph.inputs()) {
        scope.prepare(input);
      }
      // Every stage in waves across the outputs, not one output's upstream after another's.
      for (DStream<?> stage : graph.stagesInWaves()) {
        scope.prepare(stage);
      }
      long recordsOut = 0;
      for (OutputOperation<?> output : graph.outputs()) {
        recordsOut += run(scope, output);
      }
      scope.readInputsNoStageRead();
      return scope.result(recordsOut, startedAt, clock.millis());
    } catch (RuntimeException | Error e) {
      // The batch will not commit: its stages' state goes back to the last committed version.
      scope.rollBack();
      throw e;
    }
  }

  private <T> long run(BatchScope scope, OutputOperation<T> output) {
    scope.prepare(output.stream());
    long started = clock.millis();
    List<Long> counts;
    try {
      counts =
          scope.runTasks(
              task -> {
                CountingIterator<T> input =
                    new CountingIterator<>(output.stream().iterator(task.partition(), task));
                output.consumer().accept(input, task);
                return input.count;
              });
    } catch (StageFailedException e) {
      throw e.inStage("output <- " + scope.describeStage(output.stream()));
    }
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    // The operators fused into the output run in its tasks: a stage of their own for the UI.
    scope.recordOutputOperation(output.stream(), clock.millis() - started, total);
    scope.outputRan(output);
    return total;
  }

  private static final class CountingIterator<T> implements Iterator<T> {
    private final Iterator<T> delegate;
    private long count;

    CountingIterator(Iterator<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean hasNext() {
      return delegate.hasNext();
    }

    @Override
    public T next() {
      T next = delegate.next();
      count++;
      return next;
    }
  }
}
