package dev.microbatch.translation.state;

import dev.microbatch.engine.state.TimerCodec;
import java.io.IOException;
import org.apache.beam.runners.core.TimerInternals;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * Timers kept encoded with Beam's timer coder, as a checkpoint writes them: the bytes as they are;
 * a timer's id is read back from them on restore.
 */
final class EncodedTimerCodec implements TimerCodec<TimerId, byte[]> {
  private final TimerInternals.TimerDataCoderV2 coder;

  EncodedTimerCodec(TimerInternals.TimerDataCoderV2 coder) {
    this.coder = coder;
  }

  @Override
  public byte[] encode(byte[] timer) {
    return timer;
  }

  @Override
  public byte[] decode(byte[] bytes) {
    return bytes;
  }

  @Override
  public TimerId idOf(byte[] timer) throws IOException {
    return TimerId.of(CoderUtils.decodeFromByteArray(coder, timer));
  }
}
