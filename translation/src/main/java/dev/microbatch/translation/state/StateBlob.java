package dev.microbatch.translation.state;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.VarInt;

/**
 * The bytes one key's state is kept in between batches: its non-empty cells, each under its id
 * (namespace and tag), marked when it is a watermark hold, with its encoded contents. Parsing
 * copies no contents (a cell is a view into the blob) and writing copies each byte once, so a key
 * whose state is large (a bag buffering a window) costs a batch one copy of it, not several.
 *
 * <pre>
 *   blob := varint(cells) cell*
 *   cell := varint(len) utf8(id) byte(hold ? 1 : 0) varint(len) contents
 * </pre>
 */
final class StateBlob {
  private StateBlob() {}

  /** One encoded cell. */
  record Cell(boolean hold, CellBytes contents) {}

  static Map<String, Cell> parse(byte[] blob) {
    Map<String, Cell> cells = new LinkedHashMap<>();
    if (blob == null) {
      return cells;
    }
    try {
      ByteArrayInputStream in = new ByteArrayInputStream(blob);
      int count = VarInt.decodeInt(in);
      for (int i = 0; i < count; i++) {
        CellBytes.Range id = range(blob, in);
        String name = new String(id.array(), id.offset(), id.length(), StandardCharsets.UTF_8);
        boolean hold = in.read() == 1;
        cells.put(name, new Cell(hold, range(blob, in)));
      }
      return cells;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("Corrupt keyed state: a blob of " + blob.length + " bytes", e);
    }
  }

  static byte[] write(Map<String, Cell> cells) {
    // The ids encoded first, so that the blob's length is known before its bytes are copied.
    List<byte[]> ids = new ArrayList<>(cells.size());
    int length = VarInt.getLength(cells.size());
    for (Map.Entry<String, Cell> cell : cells.entrySet()) {
      byte[] id = cell.getKey().getBytes(StandardCharsets.UTF_8);
      int contents = cell.getValue().contents().length();
      length += VarInt.getLength(id.length) + id.length + 1 + VarInt.getLength(contents) + contents;
      ids.add(id);
    }
    byte[] blob = new byte[length];
    int at = putVarInt(cells.size(), blob, 0);
    int index = 0;
    for (Cell cell : cells.values()) {
      byte[] id = ids.get(index++);
      at = putVarInt(id.length, blob, at);
      System.arraycopy(id, 0, blob, at, id.length);
      at += id.length;
      blob[at++] = (byte) (cell.hold() ? 1 : 0);
      CellBytes contents = cell.contents();
      at = putVarInt(contents.length(), blob, at);
      contents.copyTo(blob, at);
      at += contents.length();
    }
    return blob;
  }

  // A length-prefixed range of the blob, read past.
  private static CellBytes.Range range(byte[] blob, ByteArrayInputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    int from = blob.length - in.available();
    if (length < 0 || length > in.available()) {
      throw new IOException("truncated: " + in.available() + " of " + length + " bytes");
    }
    in.skipNBytes(length);
    return new CellBytes.Range(blob, from, length);
  }

  private static int putVarInt(int value, byte[] target, int at) {
    int v = value;
    while ((v & ~0x7F) != 0) {
      target[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    target[at++] = (byte) v;
    return at;
  }
}
