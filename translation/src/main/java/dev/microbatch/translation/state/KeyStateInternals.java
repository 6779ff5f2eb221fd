package dev.microbatch.translation.state;

import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.state.StateBytes;
import dev.microbatch.io.beam.BeamTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.runners.core.StateInternals;
import org.apache.beam.runners.core.StateNamespace;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.StateContext;

/**
 * The Beam state of one key while a batch works on it. Between batches a key's state is bytes (a
 * {@link StateBlob}); a cell is decoded, with the coders of the tag that asks for it, the first
 * time the batch reads it, and {@link #close} records what the batch changed in the cells it read:
 * a bag it only added to gets an append of the new elements, a cell whose bytes came out the same
 * gets nothing. Cells the batch never read keep their bytes as they were.
 */
public final class KeyStateInternals<K> implements StateInternals {
  private final K key;
  private final StateBytes blob;
  private final NamespaceKeys namespaces;
  private Map<String, StateBlob.Cell> stored;
  private int storedRecords;
  private final Map<String, OpenCell<?>> open = new LinkedHashMap<>();

  /** A decoded cell and how to encode it again. */
  private record OpenCell<S extends State>(S state, StateCellCodec<S> codec) {
    boolean isEmpty() {
      return codec.isEmpty(state);
    }

    CellBytes encode() {
      try {
        return codec.contents(state);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    CellBytes.Bag appended() {
      try {
        return codec.appended(state);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** What a key's state is after a batch: its bytes (null when empty) and its earliest hold. */
  public record Closed(StateBytes blob, long earliestHold) {}

  /** The state of {@code key} as {@code blob} holds it; null for a key with no state. */
  public KeyStateInternals(K key, StateBytes blob) {
    this(key, blob, new NamespaceKeys());
  }

  KeyStateInternals(K key, StateBytes blob, NamespaceKeys namespaces) {
    this.key = key;
    this.blob = blob;
    this.namespaces = namespaces;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends State> T state(StateNamespace namespace, StateTag<T> tag, StateContext<?> c) {
    String id = namespaces.cellId(namespace, tag);
    OpenCell<?> cell = open.get(id);
    if (cell == null) {
      CellBinder binder = new CellBinder(c);
      T state = tag.bind(binder);
      StateCellCodec<T> codec = binder.codec();
      StateBlob.Cell bytes = stored().get(id);
      if (bytes != null) {
        try {
          codec.load(state, bytes.contents());
        } catch (IOException | RuntimeException e) {
          throw new IllegalStateException(
              "Corrupt keyed state: cell " + id + " of key " + key + " does not decode", e);
        }
      }
      cell = new OpenCell<>(state, codec);
      open.put(id, cell);
    }
    return (T) cell.state();
  }

  /** Encodes what the batch changed of this key; the instance is not used afterwards. */
  public Closed close() {
    if (open.isEmpty() && blob == null) {
      return new Closed(null, Watermarks.MAX);
    }
    // The parsed cells are this instance's own: they become the state after the batch.
    Map<String, StateBlob.Cell> cells = stored();
    StateBlob.Changes changes = new StateBlob.Changes();
    open.forEach((id, cell) -> record(id, cell, cells, changes));
    long hold = Watermarks.MAX;
    for (StateBlob.Cell cell : cells.values()) {
      if (cell.hold()) {
        hold = Math.min(hold, holdOf(cell));
      }
    }
    return new Closed(StateBlob.extend(blob, storedRecords, changes, cells), hold);
  }

  private static void record(
      String id, OpenCell<?> cell, Map<String, StateBlob.Cell> cells, StateBlob.Changes changes) {
    StateBlob.Cell before = cells.get(id);
    if (cell.isEmpty()) {
      if (before != null) {
        cells.remove(id);
        changes.delete(id);
      }
      return;
    }
    CellBytes.Bag appended = before == null ? null : cell.appended();
    if (appended != null) {
      if (appended.count() > 0) {
        cells.put(id, StateBlob.appendTo(before, appended));
        changes.append(id, appended);
      }
      return;
    }
    boolean hold = cell.codec().isHold();
    CellBytes contents = cell.encode();
    if (before == null || before.hold() != hold || !CellBytes.sameBytes(before.contents(), contents)) {
      cells.put(id, new StateBlob.Cell(hold, contents));
      changes.set(id, hold, contents);
    }
  }

  private Map<String, StateBlob.Cell> stored() {
    if (stored == null) {
      stored = new LinkedHashMap<>();
      storedRecords = StateBlob.parse(blob, stored);
    }
    return stored;
  }

  private static long holdOf(StateBlob.Cell cell) {
    try {
      return BeamTime.toEngine(StateCellCodec.holdOf(cell.contents().stream()));
    } catch (IOException e) {
      throw new IllegalStateException("Corrupt keyed state: a watermark hold does not decode", e);
    }
  }
}
