package dev.microbatch.engine.shuffle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Codecs for common key types of the DStream API. */
public final class Codecs {
  private Codecs() {}

  public static Codec<String> utf8() {
    return value -> value.getBytes(StandardCharsets.UTF_8);
  }

  public static Codec<Long> int64() {
    return value -> ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  public static Codec<Integer> int32() {
    return value -> ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
  }
}
