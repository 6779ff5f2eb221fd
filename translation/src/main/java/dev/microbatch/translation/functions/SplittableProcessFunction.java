package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.time.Clock;
import dev.microbatch.translation.metrics.BeamMetrics;
import dev.microbatch.translation.state.CurrentKeyStepContext;
import dev.microbatch.translation.state.KeyStateInternals;
import dev.microbatch.translation.state.KeyedPartitionState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.values.KV;
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

  private final ParDoRuntime runtime;
  private final ScheduledExecutorService checkpointTimer;
  private final boolean resumesWaitForTheirTime;
  private final Clock clock;

  /**
   * @param resumesWaitForTheirTime whether a residual resumes only once the delay it asked for has
   *     passed, even after the stage's input is complete: true when processing time moves by
   *     itself; false on a TestStream's manual clock, which stops with the TestStream, so that a
   *     delayed resumption there runs once nothing else can happen
   * @param clock the engine's clock: a residual's resume delay counts from when its process call
   *     returned, as read from it
   */
  public SplittableProcessFunction(
      ParDoRuntime runtime,
      ScheduledExecutorService checkpointTimer,
      boolean resumesWaitForTheirTime,
      Clock clock) {
    this.runtime = runtime;
    this.checkpointTimer = checkpointTimer;
    this.resumesWaitForTheirTime = resumesWaitForTheirTime;
    this.clock = clock;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StageOutput<Object> apply(
      Iterator<WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>> input,
      KeyedPartitionState<byte[]> partition,
      StageTime time,
      TaskContext task)
      throws Exception {
    if (task.batch().draining()) {
      // A graceful stop's last batch reads nothing: new work items wait with the pushed-back ones,
      // and due restrictions with their timers, in the final checkpoint for the next run.
      List<Object> waiting = new ArrayList<>(partition.takePushedBack());
      input.forEachRemaining(waiting::add);
      partition.pushBack(waiting);
      return new StageOutput<>(List.of(), partition.earliestHold());
    }
    BufferingOutputManager outputs = runtime.newOutputs();
    List<WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>> waiting =
        runtime.inBundle(
            task,
            (instance, finalization) -> {
              Bundle bundle =
                  new Bundle(
                      (ProcessFn<InT, OutT, R, ?, ?>) instance,
                      partition,
                      time,
                      task,
                      outputs,
                      finalization);
              List<WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>> workItems = new ArrayList<>();
              for (Object pushed : partition.takePushedBack()) {
                workItems.add((WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>) pushed);
              }
              input.forEachRemaining(workItems::add);
              return bundle.run(workItems);
            });
    partition.pushBack(waiting);
    return new StageOutput<>(outputs.takeAll(), partition.earliestHold());
  }

  /**
   * One bundle: ProcessFn run on each new work item, then on each restriction due to resume; after
   * every process call the change in the work item's outstanding work goes to the backlog.
   */
  private final class Bundle {
    private final KeyedPartitionState<byte[]> partition;
    private final StageTime time;
    private final CurrentKeyStepContext<byte[]> step;
    private final SizeReportingInvoker<InT, OutT, R, ?, ?> sizing;
    private final PushbackSideInputDoFnRunner<KeyedWorkItem<byte[], KV<InT, R>>, OutT> runner;
    private final Counter backlog;

    Bundle(
        ProcessFn<InT, OutT, R, ?, ?> processFn,
        KeyedPartitionState<byte[]> partition,
        StageTime time,
        TaskContext task,
        BufferingOutputManager outputs,
        BundleFinalization finalization) {
      this.partition = partition;
      this.time = time;
      this.step = new CurrentKeyStepContext<>(partition, finalization.finalizer());
      MaterializedSideInputReader sideInputs = runtime.readySideInputs(task);
      this.sizing = sizingInvoker(processFn, sideInputs, outputs, finalization);
      this.runner = runner(processFn, sideInputs, sizing, outputs, step);
      this.backlog = runtime.stepContainerOf(task).getCounter(BeamMetrics.SPLITTABLE_BACKLOG);
    }

    /** Processes the work items and resumes due restrictions; returns the items not ready. */
    List<WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>> run(
        List<WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>> workItems) throws Exception {
      List<WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>>> notReady = new ArrayList<>();
      runner.startBundle();
      for (WindowedValue<KeyedWorkItem<byte[], KV<InT, R>>> workItem : workItems) {
        byte[] key = workItem.getValue().key();
        ByteKey encodedKey = BeamKeys.encode(ByteArrayCoder.of(), key);
        KeyStateInternals<byte[]> state = partition.stateOf(encodedKey, key);
        step.selectAt(encodedKey, state, time.previousInputWatermark(), this::now);
        sizing.reset();
        runner.processElementInReadyWindows(workItem).forEach(notReady::add);
        reportBacklog(state);
        partition.afterProcessing(encodedKey);
      }
      // Splittable DoFns always stream: a resumed restriction waits for the next batch.
      partition.beginFiring(false);
      resumeDue();
      runner.finishBundle();
      return notReady;
    }

    /** Resumes the residual restrictions whose wake-up timers are due. */
    private void resumeDue() {
      KeyedPartitionState.DueTimer due;
      while ((due = nextDue()) != null) {
        TimerData timer = due.timer();
        // ProcessFn resumes on processing time only; it sets no event-time timers of its own.
        if (timer.getDomain() == TimeDomain.EVENT_TIME) {
          continue;
        }
        KeyStateInternals<byte[]> state = partition.stateForTimer(due.key());
        step.selectAt(due.key(), state, time.inputWatermark(), this::now);
        sizing.reset();
        // A resumed restriction's side inputs were ready when it started: nothing is pushed back.
        runner.processElementInReadyWindows(
            WindowedValues.valueInGlobalWindow(
                KeyedWorkItems.<byte[], KV<InT, R>>timersWorkItem(
                    state.getKey(), List.of(timer))));
        reportBacklog(state);
        partition.afterProcessing(due.key());
      }
    }

    /**
     * The processing time as ProcessFn reads it to set a residual's wake-up: when the process call
     * returned, never before the stage started. A resume delay then counts from the call, as on a
     * runner's own clock, not from the stage's start (which would shorten it by the call's wait).
     */
    private long now() {
      return Math.max(time.firingTime(), clock.millis());
    }

    /**
     * The next restriction due to resume. A residual that asked for a delay (Watch's poll
     * interval) waits for it, as on any runner, rather than polling again in the very next batch.
     */
    private KeyedPartitionState.DueTimer nextDue() {
      return resumesWaitForTheirTime ? partition.pollDueOnTime(time) : partition.pollDue(time);
    }

    /** Adds the change in the work item's outstanding work, if a process call ran. */
    private void reportBacklog(KeyStateInternals<byte[]> state) {
      if (sizing.invoked()) {
        SplittableBacklog.update(state, sizing.residualSize(), backlog);
      }
    }
  }

  /** Process calls bounded in outputs and time, whose residuals are sized for the backlog. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private SizeReportingInvoker<InT, OutT, R, ?, ?> sizingInvoker(
      ProcessFn<InT, OutT, R, ?, ?> fn,
      MaterializedSideInputReader sideInputs,
      BufferingOutputManager outputs,
      BundleFinalization finalization) {
    return new SizeReportingInvoker<>(
        new OutputAndTimeBoundedSplittableProcessElementInvoker(
            fn.getFn(),
            runtime.options(),
            outputs,
            runtime.spec().mainOutputTag(),
            sideInputs,
            checkpointTimer,
            MAX_OUTPUTS_PER_CALL,
            MAX_TIME_PER_CALL,
            finalization::finalizer),
        runtime.options(),
        sideInputs);
  }

  @SuppressWarnings("unchecked")
  private PushbackSideInputDoFnRunner<KeyedWorkItem<byte[], KV<InT, R>>, OutT> runner(
      ProcessFn<InT, OutT, R, ?, ?> fn,
      MaterializedSideInputReader sideInputs,
      SizeReportingInvoker<InT, OutT, R, ?, ?> sizing,
      BufferingOutputManager outputs,
      CurrentKeyStepContext<byte[]> step) {
    fn.setStateInternalsFactory(key -> step.stateInternals());
    fn.setTimerInternalsFactory(key -> step.timerInternals());
    fn.setSideInputReader(sideInputs);
    fn.setProcessElementInvoker((SizeReportingInvoker) sizing);
    ParDoSpec spec = runtime.spec();
    List<TupleTag<?>> additionalOutputTags =
        spec.outputTags().subList(1, spec.outputTags().size());
    return (PushbackSideInputDoFnRunner)
        DoFnRunners.newProcessFnRunner(
            fn,
            runtime.options(),
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
