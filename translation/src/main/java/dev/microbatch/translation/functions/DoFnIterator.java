package dev.microbatch.translation.functions;

import dev.microbatch.translation.metrics.BeamMetrics;
import dev.microbatch.translation.metrics.RecentCellsMetricsContainer;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.beam.runners.core.DoFnRunner;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * Runs one bundle of a DoFn lazily as its output is pulled (none at all for an empty partition):
 * start bundle on first pull, input elements until a few outputs wait, finish bundle when the
 * input ends (then {@code afterFinish}, such as handing bundle finalization callbacks to the
 * engine). The instance goes back to its pool after finishing and is torn down if anything throws.
 */
final class DoFnIterator<InT> implements Iterator<Object> {
  private enum Phase {
    NOT_STARTED,
    PROCESSING,
    DONE
  }

  /** Outputs buffered before the downstream iterator takes them: few, so memory stays flat. */
  private static final int OUTPUTS_PER_STEP = 64;

  private final Iterator<WindowedValue<InT>> input;
  private final DoFnRunner<InT, ?> runner;
  private final BufferingOutputManager outputs;
  private final DoFnInstancePool pool;
  private final DoFn<?, ?> instance;
  private final RecentCellsMetricsContainer metrics;
  private final Runnable afterFinish;
  private Phase phase = Phase.NOT_STARTED;
  private long processed;

  DoFnIterator(
      Iterator<WindowedValue<InT>> input,
      DoFnRunner<InT, ?> runner,
      BufferingOutputManager outputs,
      DoFnInstancePool pool,
      DoFn<?, ?> instance,
      RecentCellsMetricsContainer metrics,
      Runnable afterFinish) {
    this.input = input;
    this.runner = runner;
    this.outputs = outputs;
    this.pool = pool;
    this.instance = instance;
    this.metrics = metrics;
    this.afterFinish = afterFinish;
  }

  @Override
  public boolean hasNext() {
    while (outputs.isEmpty() && phase != Phase.DONE) {
      step();
    }
    return !outputs.isEmpty();
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return outputs.poll();
  }

  private void step() {
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics)) {
      if (phase == Phase.NOT_STARTED) {
        if (!input.hasNext()) {
          // No element, no bundle: a partition without input runs no startBundle/finishBundle,
          // as no runner makes a bundle of nothing (DoFns that fail in finishBundle rely on it).
          phase = Phase.DONE;
          pool.release(instance);
          afterFinish.run();
          return;
        }
        phase = Phase.PROCESSING;
        runner.startBundle();
      } else if (input.hasNext()) {
        // Several elements per metrics scope: entering a scope costs about what a small DoFn does
        // with an element. Upstream iterators enter their own scopes and restore this one.
        do {
          runner.processElement(input.next());
          processed++;
        } while (outputs.size() < OUTPUTS_PER_STEP && input.hasNext());
      } else {
        phase = Phase.DONE;
        runner.finishBundle();
        metrics.getCounter(BeamMetrics.ELEMENTS_PROCESSED).inc(processed);
        pool.release(instance);
        afterFinish.run();
      }
    } catch (RuntimeException | Error e) {
      fail(e);
      throw e;
    } catch (IOException e) {
      // Closing a metrics scope does no I/O; reaching here is a bug.
      fail(e);
      throw new IllegalStateException("Internal error closing a metrics scope", e);
    } finally {
      // What this step counted reaches the task's container before the task can end.
      metrics.flush();
    }
  }

  // The instance is released only after a successful finishBundle, so here it is still ours.
  private void fail(Throwable failure) {
    phase = Phase.DONE;
    pool.discard(instance, failure);
  }
}
