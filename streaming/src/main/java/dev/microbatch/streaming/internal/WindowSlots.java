package dev.microbatch.streaming.internal;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.state.BatchVersioned;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One partition's data of the last {@code length} batches, for a window over batches. Versioned
 * per batch (a failed batch's slot is dropped). A checkpoint writes only the slots added since
 * the previous one, and how far the window has moved: byte 1 (whole) or 0 (changes), int64 the
 * oldest batch still kept, int32 slot count, then per slot int64 batch id, int32 value count and
 * each value ({@link ValueCodec}).
 */
public final class WindowSlots implements BatchVersioned, CheckpointedState {
  /** One batch's data; the list is never changed. */
  private record Slot(long batchId, List<Object> values) {}

  private final int length;
  private final ValueCodec codec;
  private final String fingerprint;
  private List<Slot> committed = List.of();
  private List<Slot> slots = new ArrayList<>();
  // The newest batch a capture or restore has seen; -1: the next capture must be whole.
  private long capturedThrough = -1;

  public WindowSlots(int length, ValueCodec codec, String fingerprint) {
    this.length = length;
    this.codec = codec;
    this.fingerprint = fingerprint;
  }

  /** Adds the data of batch {@code batchId}, dropping the slots that fell out of the window. */
  public void add(long batchId, List<?> values) {
    slots.removeIf(slot -> slot.batchId() <= batchId - length);
    slots.add(new Slot(batchId, Collections.unmodifiableList(new ArrayList<>(values))));
  }

  /** Every value of the window, oldest batch first. */
  public List<Object> window() {
    List<Object> all = new ArrayList<>();
    for (Slot slot : slots) {
      all.addAll(slot.values());
    }
    return all;
  }

  /** The values of batch {@code batchId}, or an empty list when it is not in the window. */
  public List<Object> valuesOf(long batchId) {
    for (Slot slot : slots) {
      if (slot.batchId() == batchId) {
        return slot.values();
      }
    }
    return List.of();
  }

  @Override
  public void commit(long batchId) {
    committed = List.copyOf(slots);
  }

  @Override
  public void rollback() {
    slots = new ArrayList<>(committed);
  }

  @Override
  public StateCapture capture(boolean full) {
    boolean whole = full || capturedThrough < 0;
    long since = whole ? Long.MIN_VALUE : capturedThrough;
    List<Slot> taken = committed.stream().filter(s -> s.batchId() > since).toList();
    if (!whole && taken.isEmpty()) {
      return null;
    }
    long oldest = committed.isEmpty() ? Long.MIN_VALUE : committed.get(0).batchId();
    if (!committed.isEmpty()) {
      capturedThrough = committed.get(committed.size() - 1).batchId();
    } else {
      capturedThrough = Math.max(capturedThrough, 0);
    }
    return new StateCapture() {
      @Override
      public boolean full() {
        return whole;
      }

      @Override
      public long entries() {
        return taken.size();
      }

      @Override
      public void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(whole ? 1 : 0);
        out.writeLong(oldest);
        out.writeInt(taken.size());
        for (Slot slot : taken) {
          out.writeLong(slot.batchId());
          out.writeInt(slot.values().size());
          for (Object value : slot.values()) {
            codec.write(value, out);
          }
        }
      }
    };
  }

  @Override
  public void apply(DataInputStream in) throws IOException {
    boolean whole = in.readByte() == 1;
    long oldest = in.readLong();
    int count = in.readInt();
    List<Slot> restored = whole ? new ArrayList<>() : new ArrayList<>(committed);
    restored.removeIf(slot -> slot.batchId() < oldest);
    for (int i = 0; i < count; i++) {
      long batchId = in.readLong();
      int n = in.readInt();
      if (n < 0) {
        throw new IOException("Corrupt window state: a slot of " + n + " values");
      }
      List<Object> values = new ArrayList<>(n);
      for (int v = 0; v < n; v++) {
        values.add(codec.read(in));
      }
      if (restored.isEmpty() || restored.get(restored.size() - 1).batchId() < batchId) {
        restored.add(new Slot(batchId, Collections.unmodifiableList(values)));
      }
    }
    committed = List.copyOf(restored);
    slots = new ArrayList<>(committed);
    capturedThrough = committed.isEmpty() ? 0 : committed.get(committed.size() - 1).batchId();
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }
}
