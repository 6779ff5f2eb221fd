package dev.microbatch.translation.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.util.VarInt;

/**
 * The bytes one key's state is kept in between batches: its non-empty cells, each under its id
 * (namespace and tag), marked when it is a watermark hold, with its encoded contents.
 *
 * <pre>
 *   blob := varint(cells) cell*
 *   cell := varint(len) utf8(id) byte(hold ? 1 : 0) varint(len) contents
 * </pre>
 */
final class StateBlob {
  private StateBlob() {}

  /** One encoded cell. */
  record Cell(boolean hold, byte[] contents) {}

  static Map<String, Cell> parse(byte[] blob) {
    Map<String, Cell> cells = new LinkedHashMap<>();
    if (blob == null) {
      return cells;
    }
    try {
      ByteArrayInputStream in = new ByteArrayInputStream(blob);
      int count = VarInt.decodeInt(in);
      for (int i = 0; i < count; i++) {
        String id = new String(readBytes(in), StandardCharsets.UTF_8);
        boolean hold = in.read() == 1;
        cells.put(id, new Cell(hold, readBytes(in)));
      }
      return cells;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("Corrupt keyed state: a blob of " + blob.length + " bytes", e);
    }
  }

  static byte[] write(Map<String, Cell> cells) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      VarInt.encode(cells.size(), out);
      for (Map.Entry<String, Cell> cell : cells.entrySet()) {
        writeBytes(cell.getKey().getBytes(StandardCharsets.UTF_8), out);
        out.write(cell.getValue().hold() ? 1 : 0);
        writeBytes(cell.getValue().contents(), out);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readBytes(ByteArrayInputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new IOException("truncated: " + bytes.length + " of " + length + " bytes");
    }
    return bytes;
  }

  private static void writeBytes(byte[] bytes, ByteArrayOutputStream out) throws IOException {
    VarInt.encode(bytes.length, out);
    out.write(bytes);
  }
}
