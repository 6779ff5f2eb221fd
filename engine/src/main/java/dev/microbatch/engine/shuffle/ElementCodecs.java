package dev.microbatch.engine.shuffle;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Element codecs for common types of the DStream API. */
public final class ElementCodecs {
  private ElementCodecs() {}

  public static ElementCodec<String> utf8() {
    return new ElementCodec<>() {
      @Override
      public void encode(String element, OutputStream out) throws Exception {
        out.write(element.getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public String decode(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }

      @Override
      public String toString() {
        return "utf8";
      }
    };
  }

  public static ElementCodec<Integer> int32() {
    return new ElementCodec<>() {
      @Override
      public void encode(Integer element, OutputStream out) throws Exception {
        new DataOutputStream(out).writeInt(element);
      }

      @Override
      public Integer decode(InputStream in) throws Exception {
        return new DataInputStream(in).readInt();
      }

      @Override
      public String toString() {
        return "int32";
      }
    };
  }

  public static ElementCodec<Long> int64() {
    return new ElementCodec<>() {
      @Override
      public void encode(Long element, OutputStream out) throws Exception {
        new DataOutputStream(out).writeLong(element);
      }

      @Override
      public Long decode(InputStream in) throws Exception {
        return new DataInputStream(in).readLong();
      }

      @Override
      public String toString() {
        return "int64";
      }
    };
  }
}
