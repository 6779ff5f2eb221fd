package dev.microbatch.translation.state;

import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.state.KeyedHolds;
import dev.microbatch.engine.state.TimerIndex;
import java.util.HashMap;
import java.util.Map;
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

  /** Removes and returns the earliest event-time timer the watermark has passed, or null. */
  public TimerIndex.Entry<TimerId, TimerData> pollEventTimer(long watermark) {
    return eventTimers.pollBefore(watermark);
  }

  /** Removes and returns the earliest processing-time timer that {@code now} has passed, or null. */
  public TimerIndex.Entry<TimerId, TimerData> pollProcessingTimer(long now) {
    return processingTimers.pollBefore(now);
  }

  /** After a key was processed: records its hold and forgets it if nothing of it is left. */
  public void afterProcessing(ByteKey encodedKey) {
    KeyStateInternals<K> state = keys.get(encodedKey);
    if (state == null) {
      return;
    }
    holds.set(encodedKey, state.earliestHold());
    if (state.isEmpty() && !eventTimers.hasTimers(encodedKey) && !processingTimers.hasTimers(encodedKey)) {
      keys.remove(encodedKey);
    }
  }

  /** The earliest hold of any key of this partition. */
  public long earliestHold() {
    return holds.earliest();
  }

  /** The earliest event-time timer of this partition, or Long.MAX_VALUE. */
  public long earliestEventTimer() {
    return eventTimers.earliest();
  }

  public int keyCount() {
    return keys.size();
  }

  private TimerIndex<TimerId, TimerData> indexFor(TimeDomain domain) {
    return domain == TimeDomain.EVENT_TIME ? eventTimers : processingTimers;
  }
}
