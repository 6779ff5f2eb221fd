package dev.microbatch.translation;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * Side inputs of a bounded pipeline: the view's PCollection as its coder carries it. A side input
 * is data the runner materializes and hands to every reader, so it goes through the coder like
 * anything a runner ships: a view then holds exactly what the PCollection's coder says (a Row
 * with the PCollection's schema, so multimap lookups by key find it), never the producer's object.
 */
final class BatchViews {
  private BatchViews() {}

  static <V> DStream<WindowedValue<?>> contents(
      PCollection<V> collection, DStream<WindowedValue<V>> stream) {
    Coder<WindowedValue<V>> coder =
        WindowedValues.getFullCoder(
            collection.getCoder(), BeamElementCodec.windowCoderOf(collection));
    return stream.map(element -> copy(coder, element, collection));
  }

  private static <V> WindowedValue<?> copy(
      Coder<WindowedValue<V>> coder, WindowedValue<V> element, PCollection<V> collection) {
    try {
      return CoderUtils.clone(coder, element);
    } catch (CoderException e) {
      throw new IllegalArgumentException(
          "An element of side input " + collection.getName() + " cannot be encoded and decoded"
              + " with its coder " + collection.getCoder() + ": " + element.getValue(),
          e);
    }
  }
}
