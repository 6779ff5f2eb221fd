package dev.microbatch.translation.functions;

import dev.microbatch.engine.shuffle.ByteKey;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * A combiner's accumulator for one key in one window, built before the shuffle. It carries its
 * encoded key where the shuffle keys it by that; one decoded after the shuffle has none, nor one
 * keyed by structural value ({@link AccumulatorsPerKeyAndWindow}). Mutable: the side that owns it
 * keeps adding to it.
 */
final class PartialAccumulator<K, AccumT> {
  final ByteKey encodedKey;
  final K key;
  final BoundedWindow window;
  AccumT accumulator;

  PartialAccumulator(ByteKey encodedKey, K key, BoundedWindow window, AccumT accumulator) {
    this.encodedKey = encodedKey;
    this.key = key;
    this.window = window;
    this.accumulator = accumulator;
  }

  /**
   * Identity of a partial accumulator: its key's identity (its encoding, or its structural value)
   * and its window.
   */
  record KeyAndWindow(Object key, BoundedWindow window) {}
}
