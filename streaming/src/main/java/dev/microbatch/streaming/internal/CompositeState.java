package dev.microbatch.streaming.internal;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.state.BatchVersioned;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several states of one partition that commit, roll back and checkpoint together. A capture is,
 * per part in order, byte 0 (nothing changed) or byte 1, int32 length and the part's capture; it
 * is whole when every part's is.
 */
public final class CompositeState implements BatchVersioned, CheckpointedState {
  private final List<CheckpointedState> parts;

  public CompositeState(List<CheckpointedState> parts) {
    this.parts = List.copyOf(parts);
  }

  @SuppressWarnings("unchecked")
  public <S> S part(int index) {
    return (S) parts.get(index);
  }

  @Override
  public void commit(long batchId) {
    for (CheckpointedState part : parts) {
      ((BatchVersioned) part).commit(batchId);
    }
  }

  @Override
  public void taskDone() {
    for (CheckpointedState part : parts) {
      ((BatchVersioned) part).taskDone();
    }
  }

  @Override
  public void rollback() {
    for (CheckpointedState part : parts) {
      ((BatchVersioned) part).rollback();
    }
  }

  @Override
  public StateCapture capture(boolean full) {
    List<StateCapture> captures = new ArrayList<>(parts.size());
    boolean whole = true;
    boolean any = false;
    for (CheckpointedState part : parts) {
      StateCapture capture = part.capture(full);
      captures.add(capture);
      whole &= capture != null && capture.full();
      any |= capture != null;
    }
    if (!any) {
      return null;
    }
    boolean isWhole = whole;
    return new StateCapture() {
      @Override
      public boolean full() {
        return isWhole;
      }

      @Override
      public long entries() {
        return captures.stream().mapToLong(c -> c == null ? 0 : c.entries()).sum();
      }

      @Override
      public void writeTo(DataOutputStream out) throws IOException {
        for (StateCapture capture : captures) {
          if (capture == null) {
            out.writeByte(0);
            continue;
          }
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (DataOutputStream partOut = new DataOutputStream(bytes)) {
            capture.writeTo(partOut);
          }
          out.writeByte(1);
          out.writeInt(bytes.size());
          bytes.writeTo(out);
        }
      }
    };
  }

  @Override
  public void apply(DataInputStream in) throws IOException {
    for (CheckpointedState part : parts) {
      if (in.readByte() == 0) {
        continue;
      }
      int length = in.readInt();
      if (length < 0) {
        throw new IOException("Corrupt streaming state: a part of " + length + " bytes");
      }
      byte[] bytes = in.readNBytes(length);
      if (bytes.length != length) {
        throw new IOException("Corrupt streaming state: a part of " + length + " bytes is cut short");
      }
      part.apply(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
  }

  @Override
  public String fingerprint() {
    StringBuilder all = new StringBuilder("composite");
    for (CheckpointedState part : parts) {
      all.append('[').append(part.fingerprint()).append(']');
    }
    return all.toString();
  }
}
