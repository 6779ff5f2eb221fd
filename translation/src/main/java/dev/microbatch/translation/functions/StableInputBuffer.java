package dev.microbatch.translation.functions;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.checkpoint.WholeCapture;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.state.BatchVersioned;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The input one partition of a {@code @RequiresStableInput} ParDo has received but not processed:
 * each batch's elements, encoded, until that batch is stable (see {@code
 * BatchContext#stableThrough}). It is the DoFn's input as it will be replayed: the DoFn only ever
 * sees elements decoded from here, once the batch that buffered them can no longer be recomputed
 * differently, so a retry or a restart hands it exactly the same elements. Versioned with the
 * batch; a checkpoint saves it whole when it changed.
 *
 * <p>Layout: int32 number of batches, then per batch int64 batch id, int64 earliest element
 * timestamp (engine time), int32 number of elements, and per element int32 length + encoding.
 */
public final class StableInputBuffer implements BatchVersioned, CheckpointedState {

  /** One batch's buffered elements and the earliest of their timestamps. */
  public record Buffered(long earliestTimestamp, List<byte[]> elements) {}

  private final String fingerprint;
  private final NavigableMap<Long, Buffered> pending = new TreeMap<>();
  private final List<Long> addedInBatch = new ArrayList<>();
  private final Map<Long, Buffered> takenInBatch = new HashMap<>();
  private boolean changedSinceCapture;

  /** @param fingerprint what the elements' encoding depends on (the input coder) */
  public StableInputBuffer(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  /** Buffers batch {@code batchId}'s elements (not empty). */
  public void add(long batchId, Buffered buffered) {
    if (pending.putIfAbsent(batchId, buffered) != null) {
      throw new IllegalStateException("Internal error: batch " + batchId + " buffered stable input twice");
    }
    addedInBatch.add(batchId);
  }

  /** Removes and returns, in batch order, the batches up to {@code stableThrough}. */
  public List<Buffered> takeThrough(long stableThrough) {
    NavigableMap<Long, Buffered> stable = pending.headMap(stableThrough, true);
    List<Buffered> taken = new ArrayList<>(stable.values());
    stable.forEach(takenInBatch::putIfAbsent);
    stable.clear();
    return taken;
  }

  /** The earliest timestamp of any buffered element, {@link Watermarks#MAX} when none is. */
  public long earliestTimestamp() {
    long earliest = Watermarks.MAX;
    for (Buffered buffered : pending.values()) {
      earliest = Math.min(earliest, buffered.earliestTimestamp());
    }
    return earliest;
  }

  @Override
  public void commit(long batchId) {
    changedSinceCapture |= !addedInBatch.isEmpty() || !takenInBatch.isEmpty();
    addedInBatch.clear();
    takenInBatch.clear();
  }

  @Override
  public void rollback() {
    addedInBatch.forEach(pending::remove);
    pending.putAll(takenInBatch);
    addedInBatch.clear();
    takenInBatch.clear();
  }

  @Override
  public StateCapture capture(boolean full) {
    if (!full && !changedSinceCapture) {
      return null;
    }
    changedSinceCapture = false;
    // Buffered batches never change: a copy of the map is a consistent view.
    NavigableMap<Long, Buffered> saved = new TreeMap<>(pending);
    return new WholeCapture(
        saved.values().stream().mapToLong(b -> b.elements().size()).sum(),
        out -> {
          out.writeInt(saved.size());
          for (Map.Entry<Long, Buffered> entry : saved.entrySet()) {
            out.writeLong(entry.getKey());
            out.writeLong(entry.getValue().earliestTimestamp());
            out.writeInt(entry.getValue().elements().size());
            for (byte[] element : entry.getValue().elements()) {
              out.writeInt(element.length);
              out.write(element);
            }
          }
        });
  }

  @Override
  public void apply(DataInputStream in) throws IOException {
    pending.clear();
    int batches = in.readInt();
    for (int b = 0; b < batches; b++) {
      long batchId = in.readLong();
      long earliest = in.readLong();
      int count = in.readInt();
      List<byte[]> elements = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int length = in.readInt();
        if (length < 0) {
          throw new IOException("Corrupt stable input buffer: an element of length " + length);
        }
        elements.add(in.readNBytes(length));
      }
      pending.put(batchId, new Buffered(earliest, List.copyOf(elements)));
    }
    addedInBatch.clear();
    takenInBatch.clear();
    changedSinceCapture = false;
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }
}
