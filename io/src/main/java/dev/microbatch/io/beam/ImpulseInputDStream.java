package dev.microbatch.io.beam;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.TaskContext;
import java.util.List;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/** Beam's Impulse: one empty byte array in the global window, in partition 0. */
public final class ImpulseInputDStream extends OneShotInputDStream<WindowedValue<byte[]>> {

  public ImpulseInputDStream(StreamingContext context) {
    super(context, "Impulse");
  }

  @Override
  protected Records<WindowedValue<byte[]>> records(int partition, TaskContext task) {
    return Records.of(
        partition == 0 ? List.of(WindowedValues.valueInGlobalWindow(new byte[0])) : List.of());
  }
}
