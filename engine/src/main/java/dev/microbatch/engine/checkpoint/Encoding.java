package dev.microbatch.engine.checkpoint;

import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The primitives of the checkpoint's binary layouts (big-endian): byte arrays and strings as an
 * int32 length and their bytes, elements of a codec as the byte array of their encoding.
 */
public final class Encoding {
  private Encoding() {}

  public static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  public static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("Corrupt checkpoint data: a negative length " + length);
    }
    return readExactly(in, length);
  }

  public static void writeString(DataOutputStream out, String value) throws IOException {
    writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
  }

  public static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  /** Writes a nullable byte array: -1 for null. */
  public static void writeNullableBytes(DataOutputStream out, byte[] bytes) throws IOException {
    if (bytes == null) {
      out.writeInt(-1);
    } else {
      writeBytes(out, bytes);
    }
  }

  public static byte[] readNullableBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length == -1) {
      return null;
    }
    if (length < 0) {
      throw new IOException("Corrupt checkpoint data: a negative length " + length);
    }
    return readExactly(in, length);
  }

  /** A position that is one int32 (a count of batches or steps read). */
  public static byte[] int32(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }

  public static int int32(byte[] bytes) throws IOException {
    if (bytes.length != 4) {
      throw new IOException("Corrupt checkpoint data: an int32 position of " + bytes.length + " bytes");
    }
    return ByteBuffer.wrap(bytes).getInt();
  }

  public static <T> byte[] encode(ElementCodec<T> codec, T value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      codec.encode(value, bytes);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("Cannot encode " + value + " with " + codec, e);
    }
    return bytes.toByteArray();
  }

  public static <T> T decode(ElementCodec<T> codec, byte[] bytes) throws IOException {
    try {
      return codec.decode(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("Corrupt checkpoint data: it does not decode with " + codec, e);
    }
  }

  public static <T> void writeElement(DataOutputStream out, ElementCodec<T> codec, T value)
      throws IOException {
    writeBytes(out, encode(codec, value));
  }

  public static <T> T readElement(DataInputStream in, ElementCodec<T> codec) throws IOException {
    return decode(codec, readBytes(in));
  }

  /** Reads exactly {@code length} bytes (read in chunks: a corrupt length cannot exhaust memory). */
  private static byte[] readExactly(DataInputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new IOException(
          "Corrupt checkpoint data: " + length + " bytes announced, " + bytes.length + " left");
    }
    return bytes;
  }
}
