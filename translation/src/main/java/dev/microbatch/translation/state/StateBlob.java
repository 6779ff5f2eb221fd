package dev.microbatch.translation.state;

import dev.microbatch.engine.state.StateBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.VarInt;

/**
 * The bytes one key's state is kept in between batches: segments, each a list of records that set,
 * delete or append to a cell (its id is namespace and tag). The first segment sets every cell the
 * key had when it was last written whole; each later one says what a batch changed. So a batch that
 * adds a few elements to a large bag writes a segment of those elements, not the whole state again
 * ({@link #extend} decides when to write it whole). Parsing copies no contents: a cell is a view
 * into the chunks. A blob written before appends existed is one segment of sets, so it reads as
 * before.
 *
 * <pre>
 *   blob    := segment+            (a chunk of the key's {@link StateBytes} holds whole segments)
 *   segment := varint(records) record*
 *   record  := varint(len) utf8(id) byte(kind) varint(len) contents
 *   kind    := 0 set | 1 set a watermark hold | 2 delete (no contents)
 *            | 3 append to a bag (contents: varint(count) elements)
 * </pre>
 */
final class StateBlob {
  private static final int SET = 0;
  private static final int SET_HOLD = 1;
  private static final int DELETE = 2;
  private static final int APPEND = 3;
  // A key's state is written whole again once its later segments outweigh its first, or once it
  // holds more than twice its cells' bytes (deleted or replaced cells), so the first chunk at least
  // doubles each time. The later chunks merge as a binary counter does (a chunk is joined to the one
  // before it once it is as large), so they stay few (about log2 of the batches since) and each
  // byte is copied about that many times, not once per batch. The cap guards the parse's cost.
  private static final int MAX_CHUNKS = 24;
  private static final int SLACK_BYTES = 256;

  private StateBlob() {}

  /** One encoded cell. */
  record Cell(boolean hold, CellBytes contents) {}

  /** A record a batch writes: {@code contents} null for a delete. */
  private record Record(byte[] id, int kind, CellBytes contents) {}

  /** The cells of a key's state, each with its contents as the records leave them. */
  static Map<String, Cell> parse(StateBytes blob) {
    Map<String, Cell> cells = new LinkedHashMap<>();
    if (blob == null) {
      return cells;
    }
    for (int c = 0; c < blob.chunks(); c++) {
      byte[] chunk = blob.chunk(c);
      try {
        Cursor in = new Cursor(chunk);
        while (in.at < chunk.length) {
          int records = in.varint();
          for (int r = 0; r < records; r++) {
            CellBytes.Range id = in.range();
            String name = new String(id.array(), id.offset(), id.length(), StandardCharsets.UTF_8);
            int kind = in.kind();
            apply(cells, name, kind, in.range());
          }
        }
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "Corrupt keyed state: chunk " + c + " of " + blob.chunks() + " (" + chunk.length + " bytes) does not parse", e);
      }
    }
    return cells;
  }

  private static void apply(Map<String, Cell> cells, String name, int kind, CellBytes.Range contents) {
    switch (kind) {
      case SET, SET_HOLD -> cells.put(name, new Cell(kind == SET_HOLD, contents));
      case DELETE -> cells.remove(name);
      case APPEND -> cells.put(name, appendTo(cells.get(name), contents));
      default -> throw new IllegalArgumentException("a record of unknown kind " + kind);
    }
  }

  /** {@code cell} (a bag; null when absent) with the elements of the bag {@code appended} after its own. */
  static Cell appendTo(Cell cell, CellBytes.Range appended) {
    CellBytes.Bag more = CellBytes.Bag.of(appended);
    if (cell == null) {
      return new Cell(false, more);
    }
    CellBytes before = cell.contents();
    CellBytes.Bag bag = before instanceof CellBytes.Bag b ? b : CellBytes.Bag.of((CellBytes.Range) before);
    return new Cell(cell.hold(), bag.then(more));
  }

  /** Every cell set, as one segment: a key's state written whole. */
  static byte[] write(Map<String, Cell> cells) {
    List<Record> records = new ArrayList<>(cells.size());
    for (Map.Entry<String, Cell> cell : cells.entrySet()) {
      Cell value = cell.getValue();
      records.add(new Record(idBytes(cell.getKey()), value.hold() ? SET_HOLD : SET, value.contents()));
    }
    return segment(records);
  }

  /** The bytes of every cell, as a state written whole would hold them, ids and lengths aside. */
  static long contentBytes(Map<String, Cell> cells) {
    long bytes = 0;
    for (Cell cell : cells.values()) {
      bytes += cell.contents().length();
    }
    return bytes;
  }

  /**
   * The state after a batch: {@code old} with {@code changes} as one more segment, or, when the
   * policy above says so, {@code cells} (the state with the changes applied) written whole. Null
   * when no cell is left.
   */
  static StateBytes extend(StateBytes old, Changes changes, Map<String, Cell> cells) {
    if (cells.isEmpty()) {
      return null;
    }
    if (changes.isEmpty() && old != null) {
      return old;
    }
    if (old != null) {
      byte[] segment = changes.segment();
      long head = old.chunk(0).length;
      long tail = old.length() - head + segment.length;
      if (tail <= head && old.length() + segment.length <= 2 * contentBytes(cells) + SLACK_BYTES) {
        StateBytes extended = mergeTail(old.append(segment));
        if (extended.chunks() <= MAX_CHUNKS) {
          return extended;
        }
      }
    }
    return StateBytes.of(write(cells));
  }

  // Joins the last chunk to the one before while it is as large, the first chunk aside.
  private static StateBytes mergeTail(StateBytes state) {
    StateBytes merged = state;
    while (merged.chunks() > 2) {
      int last = merged.chunks() - 1;
      if (merged.chunk(last).length < merged.chunk(last - 1).length) {
        break;
      }
      merged = merged.joinLast(2);
    }
    return merged;
  }

  /** The records one batch writes for a key. */
  static final class Changes {
    private final List<Record> records = new ArrayList<>();

    void set(String id, boolean hold, CellBytes contents) {
      records.add(new Record(idBytes(id), hold ? SET_HOLD : SET, contents));
    }

    void delete(String id) {
      records.add(new Record(idBytes(id), DELETE, null));
    }

    /** Appends the elements of {@code bag} (a count, then the elements) to the bag {@code id}. */
    void append(String id, CellBytes.Range bag) {
      records.add(new Record(idBytes(id), APPEND, bag));
    }

    boolean isEmpty() {
      return records.isEmpty();
    }

    byte[] segment() {
      return StateBlob.segment(records);
    }
  }

  private static byte[] idBytes(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  // The length is summed first, so that each byte is copied once, into an array of its size.
  private static byte[] segment(List<Record> records) {
    int length = VarInt.getLength(records.size());
    for (Record record : records) {
      int contents = record.contents() == null ? 0 : record.contents().length();
      length += VarInt.getLength(record.id().length) + record.id().length + 1 + VarInt.getLength(contents) + contents;
    }
    byte[] segment = new byte[length];
    int at = putVarInt(records.size(), segment, 0);
    for (Record record : records) {
      at = putVarInt(record.id().length, segment, at);
      System.arraycopy(record.id(), 0, segment, at, record.id().length);
      at += record.id().length;
      segment[at++] = (byte) record.kind();
      CellBytes contents = record.contents();
      if (contents == null) {
        at = putVarInt(0, segment, at);
      } else {
        at = putVarInt(contents.length(), segment, at);
        contents.copyTo(segment, at);
        at += contents.length();
      }
    }
    return segment;
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

  /** Reads a chunk front to back. */
  private static final class Cursor {
    private final byte[] bytes;
    private int at;

    Cursor(byte[] bytes) {
      this.bytes = bytes;
    }

    int varint() {
      int value = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int b = next();
        value |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          if (value < 0) {
            throw new IllegalArgumentException("a negative length at byte " + at);
          }
          return value;
        }
      }
      throw new IllegalArgumentException("a varint longer than 5 bytes at byte " + at);
    }

    int kind() {
      return next();
    }

    /** A length-prefixed range, read past. */
    CellBytes.Range range() {
      int length = varint();
      if (length > bytes.length - at) {
        throw new IllegalArgumentException("truncated: " + (bytes.length - at) + " of " + length + " bytes left");
      }
      CellBytes.Range range = new CellBytes.Range(bytes, at, length);
      at += length;
      return range;
    }

    private int next() {
      if (at >= bytes.length) {
        throw new IllegalArgumentException("truncated at byte " + at);
      }
      return bytes[at++] & 0xFF;
    }
  }
}
