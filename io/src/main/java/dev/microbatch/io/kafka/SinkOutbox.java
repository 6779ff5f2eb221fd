package dev.microbatch.io.kafka;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.checkpoint.WholeCapture;
import dev.microbatch.engine.state.BatchVersioned;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The records one shard of an exactly-once sink has produced but Kafka has not committed yet, by
 * the batch that produced them. It is part of the checkpoint: a batch's records become durable with
 * the checkpoint that covers the batch, and only then are they written; after a crash the restored
 * outbox writes again whatever Kafka does not show as committed. Versioned with the batch (a failed
 * batch leaves no trace). Which entries were handed to the writer is not saved: a restored outbox
 * hands over everything it holds, and the writer skips what Kafka already has.
 *
 * <p>It also keeps the newest batch it ever held: Kafka can only hold batches an outbox held in a
 * durable checkpoint, so a mark newer than that shows the run resumed from too old a checkpoint.
 *
 * <p>Layout: int32 version (2), int64 the newest batch ever held (-1 for none), int32 number of
 * batches, then per batch int64 batch id, int32
 * number of records, and per record the key (int32 length, -1 for none, then the bytes) and the
 * value (int32 length, then the bytes).
 */
public final class SinkOutbox implements BatchVersioned, CheckpointedState {
  private static final int LAYOUT_VERSION = 2;

  private final NavigableMap<Long, List<OutboxRecord>> pending = new TreeMap<>();
  // What this batch changed, to undo on rollback: added batch ids, and removed entries.
  private final List<Long> addedInBatch = new ArrayList<>();
  private final Map<Long, List<OutboxRecord>> removedInBatch = new HashMap<>();
  private long newestAdded = -1;
  private long committedNewestAdded = -1;
  private long handedOverThrough = -1;
  private long committedHandedOverThrough = -1;
  private boolean changedSinceCapture;

  /** Holds {@code records} (not empty, never changed afterwards) as the output of {@code batchId}. */
  public void add(long batchId, List<OutboxRecord> records) {
    if (pending.putIfAbsent(batchId, List.copyOf(records)) != null) {
      throw new IllegalStateException("Internal error: batch " + batchId + " wrote its outbox twice");
    }
    addedInBatch.add(batchId);
    newestAdded = Math.max(newestAdded, batchId);
  }

  /** The newest batch whose records it ever held, -1 for none (removed batches included). */
  public long newestBatchAdded() {
    return newestAdded;
  }

  /** Forgets the batches up to {@code batchId}: Kafka has committed them. */
  public void removeThrough(long batchId) {
    NavigableMap<Long, List<OutboxRecord>> done = pending.headMap(batchId, true);
    done.forEach(removedInBatch::putIfAbsent);
    done.clear();
  }

  /** The entries not handed to the writer yet, in batch order; marks them handed over. */
  public List<Map.Entry<Long, List<OutboxRecord>>> takeNotHandedOver() {
    List<Map.Entry<Long, List<OutboxRecord>>> entries =
        new ArrayList<>(pending.tailMap(handedOverThrough, false).entrySet());
    if (!entries.isEmpty()) {
      handedOverThrough = entries.get(entries.size() - 1).getKey();
    }
    return entries;
  }

  /** How many batches it holds. */
  public int batches() {
    return pending.size();
  }

  @Override
  public void commit(long batchId) {
    changedSinceCapture |= !addedInBatch.isEmpty() || !removedInBatch.isEmpty();
    addedInBatch.clear();
    removedInBatch.clear();
    committedHandedOverThrough = handedOverThrough;
    committedNewestAdded = newestAdded;
  }

  @Override
  public void rollback() {
    addedInBatch.forEach(pending::remove);
    pending.putAll(removedInBatch);
    addedInBatch.clear();
    removedInBatch.clear();
    handedOverThrough = committedHandedOverThrough;
    newestAdded = committedNewestAdded;
  }

  @Override
  public StateCapture capture(boolean full) {
    if (!full && !changedSinceCapture) {
      return null;
    }
    changedSinceCapture = false;
    // The lists are immutable: a copy of the map is a consistent view.
    NavigableMap<Long, List<OutboxRecord>> view = new TreeMap<>(pending);
    long newest = newestAdded;
    return new WholeCapture(
        view.values().stream().mapToLong(List::size).sum(),
        out -> {
          out.writeInt(LAYOUT_VERSION);
          out.writeLong(newest);
          out.writeInt(view.size());
          for (Map.Entry<Long, List<OutboxRecord>> entry : view.entrySet()) {
            out.writeLong(entry.getKey());
            out.writeInt(entry.getValue().size());
            for (OutboxRecord record : entry.getValue()) {
              writeBytes(out, record.key());
              writeBytes(out, record.value());
            }
          }
        });
  }

  @Override
  public void apply(DataInputStream in) throws IOException {
    int version = in.readInt();
    if (version != LAYOUT_VERSION) {
      throw new IOException("Sink outbox layout " + version + " cannot be read (expected " + LAYOUT_VERSION + ")");
    }
    pending.clear();
    newestAdded = in.readLong();
    committedNewestAdded = newestAdded;
    int batches = in.readInt();
    for (int b = 0; b < batches; b++) {
      long batchId = in.readLong();
      int count = in.readInt();
      List<OutboxRecord> records = new ArrayList<>(count);
      for (int r = 0; r < count; r++) {
        records.add(new OutboxRecord(readBytes(in), readBytes(in)));
      }
      pending.put(batchId, List.copyOf(records));
    }
    // A restored outbox hands everything over again: the writer skips what Kafka committed.
    handedOverThrough = -1;
    committedHandedOverThrough = -1;
    addedInBatch.clear();
    removedInBatch.clear();
    changedSinceCapture = false;
  }

  @Override
  public String fingerprint() {
    return "kafka-sink-outbox:v" + LAYOUT_VERSION;
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    if (bytes == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < -1) {
      throw new IOException("Corrupt sink outbox: a record of length " + length);
    }
    return length == -1 ? null : in.readNBytes(length);
  }
}
