package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.exec.TaskContext;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.translation.metrics.BeamMetrics;
import dev.microbatch.translation.state.CurrentKeyStepContext;
import dev.microbatch.translation.state.KeyStateInternals;
import dev.microbatch.translation.state.KeyedPartitionState;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.beam.runners.core.DoFnRunners;
import org.apache.beam.runners.core.KeyedWorkItem;
import org.apache.beam.runners.core.KeyedWorkItems;
import org.apache.beam.runners.core.OutputAndTimeBoundedSplittableProcessElementInvoker;
import org.apache.beam.runners.core.PushbackSideInputDoFnRunner;
import org.apache.beam.runners.core.SplittableParDoViaKeyedWorkItems.ProcessFn;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;
import org.joda.time.Duration;

/**
 * The processing stage of a splittable DoFn, through Beam's {@link ProcessFn}: each element and
 * restriction (under its own random key) is processed with bounded output and time per call; a
 * residual restriction is kept in the key's state and resumed by a processing-time timer in a
 * later batch. The DoFn's watermark estimator holds the stage's watermark through the key's state.
 */
public final class SplittableProcessFunction<InT, OutT, R>
    implements StatefulPartitionFunction<
        WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>, Object, KeyedPartitionState<byte[]>> {
  /** Bounds of one process call, after which the restriction is checkpointed and resumed later. */
  private static final int MAX_OUTPUTS_PER_CALL = 10_000;

  private static final Duration MAX_TIME_PER_CALL = Duration.standardSeconds(1);

  private final ParDoSpec spec;
  private final DoFnInstancePool pool;
  private final PipelineOptions options;
  private final BeamMetrics metrics;
  private final Map<TupleTag<?>, MaterializedSideInputReader.SideInputStream> sideInputStreams;
  private final ScheduledExecutorService checkpointTimer;

  public SplittableProcessFunction(
      ParDoSpec spec,
      DoFnInstancePool pool,
      PipelineOptions options,
      BeamMetrics metrics,
      Map<PCollectionView<?>, DStream<WindowedValue<?>>> sideInputs,
      ScheduledExecutorService checkpointTimer) {
    this.spec = spec;
    this.pool = pool;
    this.options = options;
    this.metrics = metrics;
    this.sideInputStreams = MaterializedSideInputReader.byTag(sideInputs);
    this.checkpointTimer = checkpointTimer;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StageOutput<Object> apply(
      Iterator<WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>> input,
      KeyedPartitionState<byte[]> partition,
      StageTime time,
      TaskContext task)
      throws Exception {
    ProcessFn<InT, OutT, R, ?, ?> fn = (ProcessFn<InT, OutT, R, ?, ?>) pool.borrow(options);
    MaterializedSideInputReader sideInputs = new MaterializedSideInputReader(sideInputStreams, task);
    BufferingOutputManager outputs = new BufferingOutputManager(spec.outputTags());
    BundleFinalization finalization = new BundleFinalization();
    CurrentKeyStepContext<byte[]> step =
        new CurrentKeyStepContext<>(partition, finalization.finalizer());
    PushbackSideInputDoFnRunner<KeyedWorkItem<byte[], KV<InT, R>>, OutT> runner =
        runner(fn, sideInputs, outputs, finalization, step);
    List<WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>> waiting = new ArrayList<>();
    Set<ByteKey> touched = new LinkedHashSet<>();
    try (Closeable scope =
        MetricsEnvironment.scopedMetricsContainer(metrics.container(task, spec.stepName()))) {
      runner.startBundle();
      List<WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>> workItems = new ArrayList<>();
      for (Object pushed : partition.takePushedBack()) {
        workItems.add((WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>) pushed);
      }
      input.forEachRemaining(workItems::add);
      for (WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>> workItem : workItems) {
        byte[] key = workItem.getValue().key();
        ByteKey encodedKey = BeamKeys.encode(ByteArrayCoder.of(), key);
        step.selectForElements(encodedKey, partition.stateOf(encodedKey, key), time);
        touched.add(encodedKey);
        runner.processElementInReadyWindows(workItem).forEach(waiting::add);
      }
      // Pipelines with splittable DoFns always stream: a resumed restriction waits for the next batch.
      partition.beginFiring(false);
      resumeDue(partition, time, step, runner, touched);
      runner.finishBundle();
    } catch (Exception | Error e) {
      pool.discard(fn, e);
      throw e;
    }
    pool.release(fn);
    partition.pushBack(waiting);
    finalization.afterCommit(task);
    touched.forEach(partition::afterProcessing);
    return new StageOutput<>(outputs.takeAll(), partition.earliestHold());
  }

  /** Resumes the residual restrictions whose wake-up timers are due. */
  private void resumeDue(
      KeyedPartitionState<byte[]> partition,
      StageTime time,
      CurrentKeyStepContext<byte[]> step,
      PushbackSideInputDoFnRunner<KeyedWorkItem<byte[], KV<InT, R>>, OutT> runner,
      Set<ByteKey> touched) {
    KeyedPartitionState.DueTimer due;
    while ((due = partition.pollDue(time)) != null) {
      TimerData timer = due.timer();
      // ProcessFn resumes on processing time only; it sets no event-time timers of its own.
      if (timer.getDomain() == TimeDomain.EVENT_TIME) {
        continue;
      }
      KeyStateInternals<byte[]> state = partition.stateForTimer(due.key());
      step.selectForTimers(due.key(), state, time);
      touched.add(due.key());
      // A resumed restriction's side inputs were ready when it started: nothing is pushed back.
      runner.processElementInReadyWindows(
          WindowedValues.valueInGlobalWindow(
              KeyedWorkItems.<byte[], KV<InT, R>>timersWorkItem(state.getKey(), List.of(timer))));
    }
  }

  @SuppressWarnings("unchecked")
  private PushbackSideInputDoFnRunner<KeyedWorkItem<byte[], KV<InT, R>>, OutT> runner(
      ProcessFn<InT, OutT, R, ?, ?> fn,
      MaterializedSideInputReader sideInputs,
      BufferingOutputManager outputs,
      BundleFinalization finalization,
      CurrentKeyStepContext<byte[]> step) {
    fn.setStateInternalsFactory(key -> step.stateInternals());
    fn.setTimerInternalsFactory(key -> step.timerInternals());
    fn.setSideInputReader(sideInputs);
    fn.setProcessElementInvoker(
        new OutputAndTimeBoundedSplittableProcessElementInvoker(
            fn.getFn(),
            options,
            outputs,
            spec.mainOutputTag(),
            sideInputs,
            checkpointTimer,
            MAX_OUTPUTS_PER_CALL,
            MAX_TIME_PER_CALL,
            finalization::finalizer));
    List<TupleTag<?>> additionalOutputTags =
        spec.outputTags().subList(1, spec.outputTags().size());
    return (PushbackSideInputDoFnRunner)
        DoFnRunners.newProcessFnRunner(
            fn,
            options,
            spec.sideInputs(),
            sideInputs,
            outputs,
            (TupleTag<OutT>) spec.mainOutputTag(),
            additionalOutputTags,
            step,
            (Coder) spec.inputCoder(),
            spec.outputCoders(),
            spec.windowingStrategy(),
            spec.schemaInformation(),
            spec.sideInputMapping());
  }
}
