package dev.microbatch.translation.state;

import org.apache.beam.runners.core.TimerInternals.TimerData;

/** What makes two Beam timers of one key the same timer: setting it again replaces it. */
record TimerId(String namespace, String timerId, String timerFamilyId) {
  static TimerId of(TimerData timer) {
    return new TimerId(
        timer.getNamespace().stringKey(), timer.getTimerId(), timer.getTimerFamilyId());
  }
}
