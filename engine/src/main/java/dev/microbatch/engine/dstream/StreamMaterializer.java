package dev.microbatch.engine.dstream;

import dev.microbatch.engine.exec.BatchScope;
import dev.microbatch.engine.exec.Partitions;

/** The engine's way into {@link DStream#materialize}, which operators keep protected. */
public final class StreamMaterializer {
  private StreamMaterializer() {}

  public static <T> Partitions<T> materialize(DStream<T> stream, BatchScope scope) {
    return stream.materialize(scope);
  }

  public static long outputWatermark(DStream<?> stream, BatchScope scope) {
    return stream.outputWatermark(scope);
  }
}
