package dev.microbatch.engine.dstream;


/** The engine's way into {@link DStream#materialize}, which operators keep protected. */
public final class StreamMaterializer {
  private StreamMaterializer() {}

  public static <T> Partitions<T> materialize(DStream<T> stream, StageScope scope) {
    return stream.materialize(scope);
  }

  public static long outputWatermark(DStream<?> stream, StageScope scope) {
    return stream.outputWatermark(scope);
  }
}
