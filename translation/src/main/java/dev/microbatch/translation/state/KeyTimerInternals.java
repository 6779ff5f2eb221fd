package dev.microbatch.translation.state;

import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.io.beam.BeamTime;
import java.util.function.LongSupplier;
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
  private final LongSupplier processingTime;

  /** The times at which a batch's new elements are processed. */
  public static KeyTimerInternals forElements(
      ByteKey key, KeyedPartitionState<?> partition, StageTime time) {
    long processingTime = time.processingTime();
    return new KeyTimerInternals(
        key, partition, time.previousInputWatermark(), () -> processingTime);
  }

  /** The times at which a batch's due timers fire. */
  public static KeyTimerInternals forTimers(
      ByteKey key, KeyedPartitionState<?> partition, StageTime time) {
    long firingTime = time.firingTime();
    return at(key, partition, time.inputWatermark(), () -> firingTime);
  }

  /**
   * Timers at {@code inputWatermark}, with the processing time read from {@code now} whenever it
   * is asked for (a timer set relative to it counts from that moment).
   */
  public static KeyTimerInternals at(
      ByteKey key, KeyedPartitionState<?> partition, long inputWatermark, LongSupplier now) {
    return new KeyTimerInternals(key, partition, inputWatermark, now);
  }

  private KeyTimerInternals(
      ByteKey key,
      KeyedPartitionState<?> partition,
      long inputWatermark,
      LongSupplier processingTime) {
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
    partition.deleteTimer(key, partition.timerId(namespace, timerId, timerFamilyId));
  }

  @Override
  public void deleteTimer(TimerData timerKey) {
    deleteTimer(timerKey.getNamespace(), timerKey.getTimerId(), timerKey.getTimerFamilyId());
  }

  @Override
  public Instant currentProcessingTime() {
    return new Instant(processingTime.getAsLong());
  }

  @Override
  public @Nullable Instant currentSynchronizedProcessingTime() {
    return new Instant(processingTime.getAsLong());
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
