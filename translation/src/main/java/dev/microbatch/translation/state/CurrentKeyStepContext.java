package dev.microbatch.translation.state;

import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.shuffle.ByteKey;
import java.util.function.LongSupplier;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.runners.core.StepContext;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.StateContext;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.DoFn;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The state and timers of a stateful DoFn for one bundle (one partition of one batch), pointed at
 * the key being processed: one DoFn runner serves every key of the bundle, and {@link #select}
 * switches the key before its elements or timers are handed to it.
 */
public final class CurrentKeyStepContext<K> implements StepContext {
  private final KeyedPartitionState<K> partition;
  private final DoFn.BundleFinalizer finalizer;
  private KeyStateInternals<K> state;
  private KeyTimerInternals timers;

  // Views that forward to whichever key is selected; Beam's runners hold on to them.
  private final StateInternals stateView =
      new StateInternals() {
        @Override
        public Object getKey() {
          return state.getKey();
        }

        @Override
        public <T extends State> T state(
            StateNamespace namespace, StateTag<T> address, StateContext<?> context) {
          return state.state(namespace, address, context);
        }
      };

  private final TimerInternals timerView =
      new TimerInternals() {
        @Override
        public void setTimer(
            StateNamespace namespace,
            String timerId,
            String timerFamilyId,
            Instant target,
            Instant outputTimestamp,
            TimeDomain timeDomain) {
          timers.setTimer(namespace, timerId, timerFamilyId, target, outputTimestamp, timeDomain);
        }

        @Override
        public void setTimer(TimerData timerData) {
          timers.setTimer(timerData);
        }

        @Override
        public void deleteTimer(
            StateNamespace namespace, String timerId, String timerFamilyId, TimeDomain timeDomain) {
          timers.deleteTimer(namespace, timerId, timerFamilyId, timeDomain);
        }

        @Override
        public void deleteTimer(StateNamespace namespace, String timerId, String timerFamilyId) {
          timers.deleteTimer(namespace, timerId, timerFamilyId);
        }

        @Override
        public void deleteTimer(TimerData timerKey) {
          timers.deleteTimer(timerKey);
        }

        @Override
        public Instant currentProcessingTime() {
          return timers.currentProcessingTime();
        }

        @Override
        public @Nullable Instant currentSynchronizedProcessingTime() {
          return timers.currentSynchronizedProcessingTime();
        }

        @Override
        public Instant currentInputWatermarkTime() {
          return timers.currentInputWatermarkTime();
        }

        @Override
        public @Nullable Instant currentOutputWatermarkTime() {
          return timers.currentOutputWatermarkTime();
        }
      };

  public CurrentKeyStepContext(KeyedPartitionState<K> partition, DoFn.BundleFinalizer finalizer) {
    this.partition = partition;
    this.finalizer = finalizer;
  }

  @Override
  public DoFn.BundleFinalizer bundleFinalizer() {
    return finalizer;
  }

  /** Points state and timers at {@code key}, to process the batch's new elements of it. */
  public void selectForElements(ByteKey encodedKey, KeyStateInternals<K> keyState, StageTime time) {
    this.state = keyState;
    this.timers = KeyTimerInternals.forElements(encodedKey, partition, time);
  }

  /** Points state and timers at {@code key}, to fire one of its due timers. */
  public void selectForTimers(ByteKey encodedKey, KeyStateInternals<K> keyState, StageTime time) {
    this.state = keyState;
    this.timers = KeyTimerInternals.forTimers(encodedKey, partition, time);
  }

  /**
   * Points state and timers at {@code key}, at {@code inputWatermark}, with the processing time
   * read from {@code now} when asked for: for work that sets timers relative to when it ran (a
   * resume delay).
   */
  public void selectAt(
      ByteKey encodedKey, KeyStateInternals<K> keyState, long inputWatermark, LongSupplier now) {
    this.state = keyState;
    this.timers = KeyTimerInternals.at(encodedKey, partition, inputWatermark, now);
  }

  @Override
  public StateInternals stateInternals() {
    return stateView;
  }

  @Override
  public TimerInternals timerInternals() {
    return timerView;
  }
}
