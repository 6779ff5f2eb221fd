package dev.microbatch.engine.state;

import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.shuffle.ByteKey;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the keyed-capture tests share: a store whose timers are strings (a timer's id is the part
 * of it before its first '-'), two-byte keys, and captures written to bytes and restored.
 */
final class CaptureTestStores {
  private CaptureTestStores() {}

  static KeyedStateStore<String, String> store() {
    return new KeyedStateStore<>(2, new TimerCodec<>() {
      @Override
      public byte[] encode(String timer) {
        return timer.getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }

      @Override
      public String idOf(String timer) {
        return timer.substring(0, timer.indexOf('-'));
      }
    });
  }

  static ByteKey key(int k) {
    return ByteKey.of(new byte[] {(byte) (k >> 8), (byte) k});
  }

  static byte[] write(StateCapture capture) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    capture.writeTo(out);
    out.flush();
    return bytes.toByteArray();
  }

  /** A fresh store with {@code chain} applied in order. */
  static KeyedStateStore<String, String> restore(List<byte[]> chain) throws IOException {
    KeyedStateStore<String, String> restored = store();
    for (byte[] file : chain) {
      restored.apply(new ByteSpan(file));
    }
    return restored;
  }
}
