package dev.microbatch.translation.state;

import org.apache.beam.runners.core.TimerInternals.TimerData;

/** What makes two Beam timers of one key the same timer: setting it again replaces it. */
record TimerId(String namespace, String timerId, String timerFamilyId) {
  static TimerId of(TimerData timer) {
    return new TimerId(
        timer.getNamespace().stringKey(), timer.getTimerId(), timer.getTimerFamilyId());
  }

  /**
   * The id of {@code timer}, whose namespace's key is {@code namespace}, holding {@code
   * knownNamespace} instead of an equal new string: the stored timers of one window then share one
   * namespace string.
   */
  static TimerId of(TimerData timer, String namespace, String knownNamespace) {
    return new TimerId(
        namespace.equals(knownNamespace) ? knownNamespace : namespace,
        timer.getTimerId(),
        timer.getTimerFamilyId());
  }
}
