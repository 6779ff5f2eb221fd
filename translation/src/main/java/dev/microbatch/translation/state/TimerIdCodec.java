package dev.microbatch.translation.state;

import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

/** A {@link TimerId} in a checkpoint: namespace, timer id and timer family id as strings. */
final class TimerIdCodec implements ElementCodec<TimerId> {
  @Override
  public void encode(TimerId id, OutputStream out) throws Exception {
    DataOutputStream data = new DataOutputStream(out);
    Encoding.writeString(data, id.namespace());
    Encoding.writeString(data, id.timerId());
    Encoding.writeString(data, id.timerFamilyId() == null ? "" : id.timerFamilyId());
    data.flush();
  }

  @Override
  public TimerId decode(InputStream in) throws Exception {
    DataInputStream data = new DataInputStream(in);
    return new TimerId(Encoding.readString(data), Encoding.readString(data), Encoding.readString(data));
  }

  @Override
  public String toString() {
    return "timer id";
  }
}
