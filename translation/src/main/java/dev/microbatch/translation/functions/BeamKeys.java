package dev.microbatch.translation.functions;

import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.KeyFunction;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowedValue;

/** Beam keys as engine shuffle keys: a key's identity is its encoding with the key coder. */
public final class BeamKeys {
  private BeamKeys() {}

  public static <K> ByteKey encode(Coder<K> keyCoder, K key) throws Exception {
    return ByteKey.of(CoderUtils.encodeToByteArray(keyCoder, key));
  }

  /** Keys a stream of windowed KVs by their KV key. */
  public static <K, V> KeyFunction<WindowedValue<KV<K, V>>> byKvKey(Coder<K> keyCoder) {
    return element -> encode(keyCoder, element.getValue().getKey());
  }
}
