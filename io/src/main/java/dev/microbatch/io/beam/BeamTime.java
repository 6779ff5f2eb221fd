package dev.microbatch.io.beam;

import dev.microbatch.engine.event.Watermarks;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/** Converts between the engine's event time (millis, with open ends) and Beam's instants. */
public final class BeamTime {
  private BeamTime() {}

  /** The engine's -infinity and +infinity become Beam's minimum and maximum timestamps. */
  public static Instant toBeam(long engineTime) {
    if (engineTime <= BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()) {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }
    if (engineTime >= BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis()) {
      return BoundedWindow.TIMESTAMP_MAX_VALUE;
    }
    return new Instant(engineTime);
  }

  /** Beam's minimum and maximum timestamps become the engine's -infinity and +infinity. */
  public static long toEngine(Instant beamTime) {
    if (!beamTime.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      return Watermarks.MIN;
    }
    if (!beamTime.isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
      return Watermarks.MAX;
    }
    return beamTime.getMillis();
  }
}
