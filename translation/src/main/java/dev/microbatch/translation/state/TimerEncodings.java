package dev.microbatch.translation.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.runners.core.TimerInternals.TimerData;
import org.apache.beam.runners.core.TimerInternals.TimerDataCoderV2;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * The encodings of the timers set lately. A windowed operator sets the same few timers again for
 * every element (its window's end, the state cleanup, a trigger's delay), alternating between them,
 * and many keys set equal ones: those are encoded once, and equal timers share one array, in
 * memory and in checkpoints (measured: encoding was a thirteenth of Nexmark query 10's worker
 * time when only the very last timer was remembered). One per partition, confined to its task.
 */
final class TimerEncodings {
  private static final int LIMIT = 256;

  private final TimerDataCoderV2 coder;
  private final Map<TimerData, byte[]> recent =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TimerData, byte[]> eldest) {
          return size() > LIMIT;
        }
      };

  TimerEncodings(TimerDataCoderV2 coder) {
    this.coder = coder;
  }

  byte[] of(TimerData timer) {
    byte[] bytes = recent.get(timer);
    if (bytes == null) {
      try {
        bytes = CoderUtils.encodeToByteArray(coder, timer);
      } catch (Exception e) {
        throw new IllegalStateException("A timer does not encode: " + timer, e);
      }
      recent.put(timer, bytes);
    }
    return bytes;
  }
}
