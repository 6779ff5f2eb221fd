package dev.microbatch.translation.state;

import dev.microbatch.io.beam.BeamTime;
import dev.microbatch.engine.shuffle.ByteKey;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.state.TimeDomain;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Beam's timers of one key, stored in its partition's time-ordered timer index, with the times of
 * the current batch: the input watermark the caller is working at (the previous one while the
 * batch's elements are processed, the new one while timers fire) and the batch's processing time.
 */
public final class KeyTimerInternals implements TimerInternals {
  private final ByteKey key;
  private final KeyedPartitionState<?> partition;
  private final long inputWatermark;
  private final long processingTime;

  public KeyTimerInternals(
      ByteKey key, KeyedPartitionState<?> partition, long inputWatermark, long processingTime) {
    this.key = key;
    this.partition = partition;
    this.inputWatermark = inputWatermark;
    this.processingTime = processingTime;
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
