package dev.microbatch.translation.state;

import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.state.KeyedHolds;
import dev.microbatch.engine.state.TimerIndex;
import dev.microbatch.io.beam.BeamTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.core.StatefulDoFnRunner;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.sdk.state.TimeDomain;

/**
 * Everything one partition of a Beam stateful stage keeps across batches: each key's state, the
 * event-time and processing-time timers ordered by time, and each key's watermark hold. Touched
 * only by the task that runs the partition.
 */
public final class KeyedPartitionState<K> {
  private final Map<ByteKey, KeyStateInternals<K>> keys = new HashMap<>();
  private final TimerIndex<TimerId, TimerData> eventTimers = new TimerIndex<>();
  private final TimerIndex<TimerId, TimerData> processingTimers = new TimerIndex<>();
  private final KeyedHolds holds = new KeyedHolds();
  private final boolean timersHoldOutput;
  private long firingSequenceLimit;
  private List<Object> pushedBack = new ArrayList<>();

  private KeyedPartitionState(boolean timersHoldOutput) {
    this.timersHoldOutput = timersHoldOutput;
  }

  /** For a GroupByKey: Beam's reduce function keeps its own watermark holds in state. */
  public static <K> KeyedPartitionState<K> forGrouping() {
    return new KeyedPartitionState<>(false);
  }

  /**
   * For a stateful DoFn: a user's timer also holds the output watermark at its output timestamp
   * until it fires (the runner's own state-cleanup timer does not).
   */
  public static <K> KeyedPartitionState<K> forStatefulDoFn() {
    return new KeyedPartitionState<>(true);
  }

  /** The state of {@code key}, created empty on first use. */
  public KeyStateInternals<K> stateOf(ByteKey encodedKey, K key) {
    return keys.computeIfAbsent(encodedKey, k -> new KeyStateInternals<>(key));
  }

  /** The state of a key that has timers or state, or null. */
  public KeyStateInternals<K> existingState(ByteKey encodedKey) {
    return keys.get(encodedKey);
  }

  public void setTimer(ByteKey key, TimerData timer) {
    TimerId id = TimerId.of(timer);
    deleteTimer(key, id);
    indexFor(timer.getDomain()).set(key, id, timer.getTimestamp().getMillis(), timer);
  }

  public void deleteTimer(ByteKey key, TimerId id) {
    eventTimers.delete(key, id);
    processingTimers.delete(key, id);
  }

  /**
   * Marks the start of a batch's timer firing: from here on, {@link #pollDue} forces no timer that
   * is set after this call, unless {@code settleWithinBatch} (a bounded pipeline, which has a
   * single batch of data that every stage must finish within).
   */
  public void beginFiring(boolean settleWithinBatch) {
    firingSequenceLimit = settleWithinBatch ? Long.MAX_VALUE : processingTimers.nextSequence();
  }

  /**
   * Removes and returns the next timer due in a batch: the earliest event-time timer the stage's
   * input watermark has passed, else the earliest processing-time timer the stage's firing time
   * has passed; null when none is due. Once the input is complete (its watermark at +infinity) every
   * processing-time timer set before this batch's firing began is due too: nothing will arrive to
   * wait for, and a pending timer would hold the stage's output watermark back forever. Timers set
   * while firing wait for the next batch, so a timer that keeps re-arming itself (a splittable
   * DoFn resuming) makes progress batch by batch instead of looping inside one.
   */
  public TimerIndex.Entry<TimerId, TimerData> pollDue(StageTime time) {
    TimerIndex.Entry<TimerId, TimerData> due = pollEventTimer(time.inputWatermark());
    if (due == null) {
      due = pollProcessingTimer(time.firingTime());
    }
    if (due == null && time.inputWatermark() == Watermarks.MAX) {
      due = processingTimers.pollBefore(Long.MAX_VALUE, firingSequenceLimit);
    }
    return due;
  }

  /** Removes and returns the earliest event-time timer the watermark has passed, or null. */
  private TimerIndex.Entry<TimerId, TimerData> pollEventTimer(long watermark) {
    return eventTimers.pollBefore(watermark);
  }

  /** Removes and returns the earliest processing-time timer that {@code now} has passed, or null. */
  private TimerIndex.Entry<TimerId, TimerData> pollProcessingTimer(long now) {
    return processingTimers.pollBefore(now);
  }

  /** After a key was processed: records its hold and forgets it if nothing of it is left. */
  public void afterProcessing(ByteKey encodedKey) {
    KeyStateInternals<K> state = keys.get(encodedKey);
    if (state == null) {
      return;
    }
    long hold = state.earliestHold();
    if (timersHoldOutput) {
      hold = Math.min(hold, earliestTimerOutput(eventTimers, encodedKey));
      hold = Math.min(hold, earliestTimerOutput(processingTimers, encodedKey));
    }
    holds.set(encodedKey, hold);
    if (state.isEmpty() && !eventTimers.hasTimers(encodedKey) && !processingTimers.hasTimers(encodedKey)) {
      keys.remove(encodedKey);
    }
  }

  private static long earliestTimerOutput(TimerIndex<TimerId, TimerData> index, ByteKey key) {
    long earliest = Watermarks.MAX;
    for (TimerIndex.Entry<TimerId, TimerData> entry : index.timersOf(key)) {
      TimerData timer = entry.timer();
      if (!StatefulDoFnRunner.TimeInternalsCleanupTimer.GC_TIMER_ID.equals(timer.getTimerId())) {
        earliest = Math.min(earliest, BeamTime.toEngine(timer.getOutputTimestamp()));
      }
    }
    return earliest;
  }

  /** Takes the elements a batch pushed back (their side inputs were not ready), leaving none. */
  public List<Object> takePushedBack() {
    List<Object> taken = pushedBack;
    pushedBack = new ArrayList<>();
    return taken;
  }

  /** Keeps elements whose side inputs are not ready for a later batch; they hold the watermark. */
  public void pushBack(List<?> elements) {
    pushedBack.addAll(elements);
  }

  /** The earliest hold of any key of this partition. */
  public long earliestHold() {
    // Pushed-back work waits in the global window at the minimum timestamp: it holds everything.
    return pushedBack.isEmpty() ? holds.earliest() : Watermarks.MIN;
  }

  private TimerIndex<TimerId, TimerData> indexFor(TimeDomain domain) {
    return domain == TimeDomain.EVENT_TIME ? eventTimers : processingTimers;
  }
}
