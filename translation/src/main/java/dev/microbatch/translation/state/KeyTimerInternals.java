package dev.microbatch.translation.state;

import dev.microbatch.io.beam.BeamTime;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.shuffle.ByteKey;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.state.TimeDomain;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Beam's timers of one key, stored in its partition's time-ordered timer index, with the times of
 * the current batch as the caller sees them: while the batch's elements are processed, the
 * previous input watermark and the batch's time (when they arrived); while timers fire, the new
 * input watermark and the stage's firing time.
 */
public final class KeyTimerInternals implements TimerInternals {
  private final ByteKey key;
  private final KeyedPartitionState<?> partition;
  private final long inputWatermark;
  private final long processingTime;

  /** The times at which a batch's new elements are processed. */
  public static KeyTimerInternals forElements(
      ByteKey key, KeyedPartitionState<?> partition, StageTime time) {
    return new KeyTimerInternals(
        key, partition, time.previousInputWatermark(), time.processingTime());
  }

  /** The times at which a batch's due timers fire. */
  public static KeyTimerInternals forTimers(
      ByteKey key, KeyedPartitionState<?> partition, StageTime time) {
    return new KeyTimerInternals(key, partition, time.inputWatermark(), time.firingTime());
  }

  private KeyTimerInternals(
      ByteKey key, KeyedPartitionState<?> partition, long inputWatermark, long processingTime) {
    this.key = key;
    this.partition = partition;
    this.inputWatermark = inputWatermark;
    this.processingTime = processingTime;
  }

  /** The encoded key whose timers these are. */
  public ByteKey key() {
    return key;
  }

  @Override
  public void setTimer(
      StateNamespace namespace,
      String timerId,
      String timerFamilyId,
      Instant target,
      Instant outputTimestamp,
      TimeDomain timeDomain) {
    setTimer(TimerData.of(timerId, timerFamilyId, namespace, target, outputTimestamp, timeDomain));
  }

  @Override
  public void setTimer(TimerData timerData) {
    partition.setTimer(key, timerData);
  }

  @Override
  public void deleteTimer(
      StateNamespace namespace, String timerId, String timerFamilyId, TimeDomain timeDomain) {
    deleteTimer(namespace, timerId, timerFamilyId);
  }

  @Override
  public void deleteTimer(StateNamespace namespace, String timerId, String timerFamilyId) {
    partition.deleteTimer(key, new TimerId(namespace.stringKey(), timerId, timerFamilyId));
  }

  @Override
  public void deleteTimer(TimerData timerKey) {
    partition.deleteTimer(key, TimerId.of(timerKey));
  }

  @Override
  public Instant currentProcessingTime() {
    return new Instant(processingTime);
  }

  @Override
  public @Nullable Instant currentSynchronizedProcessingTime() {
    return new Instant(processingTime);
  }

  @Override
  public Instant currentInputWatermarkTime() {
    return BeamTime.toBeam(inputWatermark);
  }

  @Override
  public @Nullable Instant currentOutputWatermarkTime() {
    return null;
  }
}
