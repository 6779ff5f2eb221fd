package dev.microbatch.translation.state;

import dev.microbatch.engine.state.StateBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.VarInt;

/**
 * The bytes one key's state is kept in between batches: segments, each a list of records that set,
 * delete or append to a cell (its id is namespace and tag). A batch that changed a key adds a
 * segment of only its changes, so a batch that adds a few elements to a large bag writes those
 * elements, not the whole state again ({@link #extend} decides when to write it whole). Segments
 * are packed into chunks of at most {@link #CHUNK_BYTES} where they can be (a bag is split at its
 * parts), so no chunk is a humongous object for G1, and small chunks merge as they accumulate.
 * Parsing copies no contents: a cell is a view into the chunks. A blob written before appends
 * existed is one segment of sets, so it reads as before.
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
  // A chunk is kept below a quarter of G1's smallest region (1 MB), so it is never humongous; a
  // cell larger than that, and not a bag, is a chunk of its own.
  static final int CHUNK_BYTES = 256 * 1024;
  // A key's state is written whole again once it holds more than twice its cells' bytes (deleted
  // or replaced cells), plus this.
  private static final int SLACK_BYTES = 256;
  // ... or once it has more records than this plus one per RECORD_BYTES of its cells: a batch
  // parses every record of the keys it touches, so a key appended to in small pieces over many
  // batches is written whole now and then, each time at a cost of at most RECORD_BYTES per batch.
  private static final int FEW_RECORDS = 64;
  private static final int RECORD_BYTES = 4096;

  private StateBlob() {}

  /** One encoded cell. */
  record Cell(boolean hold, CellBytes contents) {}

  /** A record a batch writes: {@code contents} null for a delete. */
  private record Record(byte[] id, int kind, CellBytes contents) {
    int length() {
      int contentLength = contents == null ? 0 : contents.length();
      return VarInt.getLength(id.length) + id.length + 1 + VarInt.getLength(contentLength) + contentLength;
    }
  }

  /**
   * Puts the cells of a key's state into {@code cells}, each with its contents as the records leave
   * them; returns how many records there were.
   */
  static int parse(StateBytes blob, Map<String, Cell> cells) {
    int parsed = 0;
    if (blob == null) {
      return parsed;
    }
    for (int c = 0; c < blob.chunks(); c++) {
      byte[] chunk = blob.chunk(c);
      try {
        Cursor in = new Cursor(chunk);
        while (in.at < chunk.length) {
          int records = in.varint();
          parsed += records;
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
    return parsed;
  }

  private static void apply(Map<String, Cell> cells, String name, int kind, CellBytes.Range contents) {
    switch (kind) {
      case SET, SET_HOLD -> cells.put(name, new Cell(kind == SET_HOLD, contents));
      case DELETE -> cells.remove(name);
      case APPEND -> {
        Cell cell = cells.get(name);
        if (cell != null && cell.contents() instanceof CellBytes.Bag bag) {
          // Parsed bags are this parse's own: appended to in place.
          bag.addAll(CellBytes.Bag.of(contents));
        } else {
          cells.put(name, appendTo(cell, CellBytes.Bag.of(contents)));
        }
      }
      default -> throw new IllegalArgumentException("a record of unknown kind " + kind);
    }
  }

  /** {@code cell} (a bag; null when absent) with the elements of {@code more} after its own. */
  static Cell appendTo(Cell cell, CellBytes.Bag more) {
    if (cell == null) {
      return new Cell(false, new CellBytes.Bag(more.parts()));
    }
    return new Cell(cell.hold(), CellBytes.Bag.from(cell.contents()).then(more));
  }

  /** Every cell set: a key's state written whole, in chunks. */
  static StateBytes write(Map<String, Cell> cells) {
    List<Record> records = new ArrayList<>(cells.size());
    for (Map.Entry<String, Cell> cell : cells.entrySet()) {
      Cell value = cell.getValue();
      records.add(new Record(idBytes(cell.getKey()), value.hold() ? SET_HOLD : SET, value.contents()));
    }
    StateBytes state = null;
    for (byte[] chunk : chunks(records)) {
      state = state == null ? StateBytes.of(chunk) : state.append(chunk);
    }
    return state;
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
   * The state after a batch: {@code old} (of {@code oldRecords} records) with {@code changes} as
   * more segments, or, when dead bytes would be more than half of it or it would have too many
   * records, {@code cells} (the state with the changes applied) written whole. Null when no cell is
   * left.
   */
  static StateBytes extend(StateBytes old, int oldRecords, Changes changes, Map<String, Cell> cells) {
    if (cells.isEmpty()) {
      return null;
    }
    if (changes.isEmpty() && old != null) {
      return old;
    }
    long live = contentBytes(cells);
    if (old != null && oldRecords + changes.records.size() <= FEW_RECORDS + live / RECORD_BYTES) {
      List<byte[]> added = chunks(changes.records);
      long length = old.length();
      for (byte[] chunk : added) {
        length += chunk.length;
      }
      if (length <= 2 * live + SLACK_BYTES) {
        StateBytes extended = old;
        for (byte[] chunk : added) {
          extended = mergeTail(extended.append(chunk));
        }
        return extended;
      }
    }
    return write(cells);
  }

  // Joins the last chunk to the one before while it is as large and the two fit in a chunk, as a
  // binary counter carries: the small chunks stay few and each byte is copied a few times.
  private static StateBytes mergeTail(StateBytes state) {
    StateBytes merged = state;
    while (merged.chunks() > 1) {
      int last = merged.chunks() - 1;
      int lastLength = merged.chunk(last).length;
      int previousLength = merged.chunk(last - 1).length;
      if (lastLength < previousLength || lastLength + previousLength > CHUNK_BYTES) {
        break;
      }
      merged = merged.joinLast(2);
    }
    return merged;
  }

  /**
   * The records as segments packed into chunks of at most {@link #CHUNK_BYTES}: a record of a bag
   * that does not fit is split at its parts, its later pieces appended; any other record larger
   * than a chunk is a chunk of its own.
   */
  private static List<byte[]> chunks(List<Record> records) {
    List<byte[]> chunks = new ArrayList<>();
    List<Record> segment = new ArrayList<>();
    int segmentLength = 0;
    for (Record whole : records) {
      for (Record record : pieces(whole, CHUNK_BYTES / 2)) {
        int length = record.length();
        if (!segment.isEmpty() && segmentLength + length > CHUNK_BYTES) {
          chunks.add(segment(segment));
          segment.clear();
          segmentLength = 0;
        }
        segment.add(record);
        segmentLength += length;
      }
    }
    if (!segment.isEmpty()) {
      chunks.add(segment(segment));
    }
    return chunks;
  }

  // A bag's record as records of at most about maxBytes each: the first of its kind, then appends.
  private static List<Record> pieces(Record record, int maxBytes) {
    if (!(record.contents() instanceof CellBytes.Bag bag) || record.length() <= maxBytes) {
      return List.of(record);
    }
    List<Record> pieces = new ArrayList<>();
    List<CellBytes.Bag.Part> piece = new ArrayList<>();
    int pieceBytes = 0;
    for (CellBytes.Bag.Part part : bag.parts()) {
      if (!piece.isEmpty() && pieceBytes + part.bytes().length() > maxBytes) {
        pieces.add(new Record(record.id(), pieces.isEmpty() ? record.kind() : APPEND, new CellBytes.Bag(piece)));
        piece.clear();
        pieceBytes = 0;
      }
      piece.add(part);
      pieceBytes += part.bytes().length();
    }
    pieces.add(new Record(record.id(), pieces.isEmpty() ? record.kind() : APPEND, new CellBytes.Bag(piece)));
    return pieces;
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

    /** Appends the elements of {@code bag} to the bag {@code id}. */
    void append(String id, CellBytes.Bag bag) {
      records.add(new Record(idBytes(id), APPEND, bag));
    }

    boolean isEmpty() {
      return records.isEmpty();
    }
  }

  private static byte[] idBytes(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  // The length is summed first, so that each byte is copied once, into an array of its size.
  private static byte[] segment(List<Record> records) {
    int length = VarInt.getLength(records.size());
    for (Record record : records) {
      length += record.length();
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

  /** Writes {@code value} as a varint into {@code target} from {@code at}; returns where it ended. */
  static int putVarInt(int value, byte[] target, int at) {
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
