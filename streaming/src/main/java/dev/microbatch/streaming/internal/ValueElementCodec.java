package dev.microbatch.streaming.internal;

import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

/** Carries the streaming API's values across the engine's shuffles with a {@link ValueCodec}. */
public final class ValueElementCodec<T> implements ElementCodec<T> {
  private final ValueCodec codec;

  public ValueElementCodec(ValueCodec codec) {
    this.codec = codec;
  }

  @Override
  public void encode(T element, OutputStream out) throws Exception {
    codec.write(element, new DataOutputStream(out));
  }

  @Override
  @SuppressWarnings("unchecked")
  public T decode(InputStream in) throws Exception {
    return (T) codec.read(new DataInputStream(in));
  }

  @Override
  public String toString() {
    return "the streaming API's value codec";
  }
}
