package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.Group;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.translation.metrics.BeamMetrics;
import dev.microbatch.translation.state.KeyStateInternals;
import dev.microbatch.translation.state.KeyTimerInternals;
import dev.microbatch.translation.state.KeyedPartitionState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.core.LateDataDroppingDoFnRunner;
import org.apache.beam.runners.core.LateDataUtils;
import org.apache.beam.runners.core.NullSideInputReader;
import org.apache.beam.runners.core.ReduceFnRunner;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.runners.core.metrics.CounterCell;
import org.apache.beam.runners.core.triggers.ExecutableTriggerStateMachine;
import org.apache.beam.runners.core.triggers.TriggerStateMachines;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.construction.TriggerTranslation;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * The reduce side of a streaming GroupByKey: each key's windows, panes and trigger state live in the
 * partition across batches, driven by Beam's {@link ReduceFnRunner}. The reduce function buffers
 * the values ({@link SystemReduceFn#buffering}, a GroupByKey) or combines them into an accumulator
 * as they come ({@link SystemReduceFn#combining}, a lifted Combine.perKey). A batch first adds the
 * new elements of each key (dropping those of expired windows), then fires, in time order, every
 * event-time timer the stage's input watermark has passed and every processing-time timer the
 * stage's firing time has passed. The partition holds the watermark at its keys' earliest hold.
 */
public final class StreamingGroupAlsoByWindow<K, V, OutputT, W extends BoundedWindow>
    implements StatefulPartitionFunction<
        Group<WindowedValue<KV<K, V>>>, WindowedValue<KV<K, OutputT>>, KeyedPartitionState<K>> {
  private final String stepName;
  private final WindowingStrategy<?, W> windowingStrategy;
  private final SystemReduceFn<K, V, ?, OutputT, W> reduceFn;
  private final PipelineOptions options;
  private final BeamMetrics metrics;
  private final RunnerApi.Trigger triggerProto;

  public StreamingGroupAlsoByWindow(
      String stepName,
      WindowingStrategy<?, W> windowingStrategy,
      SystemReduceFn<K, V, ?, OutputT, W> reduceFn,
      PipelineOptions options,
      BeamMetrics metrics) {
    this.stepName = stepName;
    this.windowingStrategy = windowingStrategy;
    this.reduceFn = reduceFn;
    this.options = options;
    this.metrics = metrics;
    this.triggerProto = TriggerTranslation.toProto(windowingStrategy.getTrigger());
  }

  /** The GroupByKey's or Combine's full name: the stateful stage is named after it. */
  public String stepName() {
    return stepName;
  }

  @Override
  public StageOutput<WindowedValue<KV<K, OutputT>>> apply(
      Iterator<Group<WindowedValue<KV<K, V>>>> input,
      KeyedPartitionState<K> partition,
      StageTime time,
      TaskContext task)
      throws Exception {
    List<WindowedValue<KV<K, OutputT>>> output = new ArrayList<>();
    CounterCell dropped =
        metrics
            .container(task, stepName)
            // Named as Beam's own runners name it, so dashboards for them find it here too.
            .getCounter(
                MetricName.named(
                    LateDataDroppingDoFnRunner.class, LateDataDroppingDoFnRunner.DROPPED_DUE_TO_LATENESS));
    // Elements arrived while the input watermark stood where the previous batch left it.
    while (input.hasNext()) {
      Group<WindowedValue<KV<K, V>>> group = input.next();
      ByteKey encodedKey = group.key();
      K key = group.elements().get(0).getValue().getKey();
      KeyTimerInternals timers = KeyTimerInternals.forElements(encodedKey, partition, time);
      ReduceFnRunner<K, V, OutputT, W> runner =
          runnerFor(partition.stateOf(encodedKey, key), timers, output);
      List<WindowedValue<V>> values = new ArrayList<>(group.elements().size());
      for (WindowedValue<KV<K, V>> element : group.elements()) {
        values.add(element.withValue(element.getValue().getValue()));
      }
      runner.processElements(
          LateDataUtils.dropExpiredWindows(key, values, timers, windowingStrategy, dropped));
      runner.persist();
      // The group holds all of the key's elements of this batch: its state can be encoded.
      partition.afterProcessing(encodedKey);
    }
    // Then the watermark moves to this batch's: fire what is due with runners that see it.
    // Only streaming pipelines group in state, so timers set while firing wait for the next batch.
    partition.beginFiring(false);
    KeyedPartitionState.DueTimer due;
    while ((due = partition.pollDue(time)) != null) {
      ReduceFnRunner<K, V, OutputT, W> runner =
          runnerFor(
              partition.stateForTimer(due.key()),
              KeyTimerInternals.forTimers(due.key(), partition, time),
              output);
      runner.onTimers(List.of(due.timer()));
      runner.persist();
      // Encoded at once: a batch that fires every key's timer never has every key decoded.
      partition.afterProcessing(due.key());
    }
    return new StageOutput<>(output, partition.earliestHold());
  }

  private ReduceFnRunner<K, V, OutputT, W> runnerFor(
      KeyStateInternals<K> state,
      KeyTimerInternals timers,
      List<WindowedValue<KV<K, OutputT>>> output) {
    return new ReduceFnRunner<>(
        state.getKey(),
        windowingStrategy,
        ExecutableTriggerStateMachine.create(
            TriggerStateMachines.stateMachineForTrigger(triggerProto)),
        state,
        timers,
        output::add,
        NullSideInputReader.empty(),
        reduceFn,
        options);
  }
}
