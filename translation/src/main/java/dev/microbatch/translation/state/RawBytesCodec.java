package dev.microbatch.translation.state;

import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.InputStream;
import java.io.OutputStream;

/** Bytes that are already an encoding (a timer encoded with Beam's timer coder), as they are. */
final class RawBytesCodec implements ElementCodec<byte[]> {
  @Override
  public void encode(byte[] bytes, OutputStream out) throws Exception {
    out.write(bytes);
  }

  @Override
  public byte[] decode(InputStream in) throws Exception {
    return in.readAllBytes();
  }

  @Override
  public String toString() {
    return "raw bytes";
  }
}
