package dev.microbatch.translation.functions;

import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * How a lifted combine's partial accumulators cross the shuffle: key, window and accumulator, each
 * with its own coder. The encoded key travels beside the element, so a decoded partial has none;
 * the reduce side takes it from the shuffle.
 */
final class PartialAccumulatorCodec<K, AccumT> implements ElementCodec<PartialAccumulator<K, AccumT>> {
  private final Coder<K> keyCoder;
  private final Coder<BoundedWindow> windowCoder;
  private final Coder<AccumT> accumulatorCoder;
  private final String step;

  @SuppressWarnings("unchecked")
  PartialAccumulatorCodec(
      Coder<K> keyCoder,
      Coder<? extends BoundedWindow> windowCoder,
      Coder<AccumT> accumulatorCoder,
      String step) {
    this.keyCoder = keyCoder;
    this.windowCoder = (Coder<BoundedWindow>) windowCoder;
    this.accumulatorCoder = accumulatorCoder;
    this.step = step;
  }

  @Override
  public void encode(PartialAccumulator<K, AccumT> partial, OutputStream out) throws Exception {
    keyCoder.encode(partial.key, out);
    windowCoder.encode(partial.window, out);
    accumulatorCoder.encode(partial.accumulator, out);
  }

  @Override
  public PartialAccumulator<K, AccumT> decode(InputStream in) throws Exception {
    K key = keyCoder.decode(in);
    BoundedWindow window = windowCoder.decode(in);
    return new PartialAccumulator<>(null, key, window, accumulatorCoder.decode(in));
  }

  @Override
  public String toString() {
    return "accumulator coder " + accumulatorCoder + " (key coder " + keyCoder + ") of " + step;
  }
}
