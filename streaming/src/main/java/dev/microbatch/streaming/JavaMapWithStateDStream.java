package dev.microbatch.streaming;

import dev.microbatch.engine.dstream.DStream;

/**
 * What {@code mapWithState} returns: the stream of the function's outputs, and {@link
 * #stateSnapshots()}, every key's state after each batch.
 */
public final class JavaMapWithStateDStream<K, V, S, M> extends JavaDStream<M> {
  private final DStream<MapWithStateFunction.Output> outputs;
  private final MapWithStateFunction<K, V, S> function;

  @SuppressWarnings("unchecked")
  JavaMapWithStateDStream(
      JavaStreamingContext ssc,
      DStream<MapWithStateFunction.Output> outputs,
      int slide,
      MapWithStateFunction<K, V, S> function) {
    super(ssc, outputs.filter(o -> !o.snapshot()).map(o -> (M) o.value()), slide);
    this.outputs = outputs;
    this.function = function;
  }

  /** Every key's state after each batch (costs a pass over the state per batch). */
  @SuppressWarnings("unchecked")
  public JavaPairDStream<K, S> stateSnapshots() {
    ssc.checkNotStarted("ask for state snapshots");
    function.emitSnapshots();
    return new JavaPairDStream<>(ssc, outputs.filter(MapWithStateFunction.Output::snapshot).map(o -> (Tuple2<K, S>) o.value()), slide);
  }
}
