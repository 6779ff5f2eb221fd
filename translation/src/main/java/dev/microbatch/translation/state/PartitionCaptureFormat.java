package dev.microbatch.translation.state;

import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.engine.state.ByteSpan;
import dev.microbatch.engine.state.KeyedCaptureMerge;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of a {@link KeyedPartitionState}'s checkpoint capture: byte 1 and the keyed store's
 * capture, or byte 0; then byte 1, an int32 count and each pushed-back element (int32 length and
 * its encoding), or byte 0 when the pushed-back elements did not change since the last capture.
 */
final class PartitionCaptureFormat {
  private PartitionCaptureFormat() {}

  /** A capture of {@code keyed} (null: no key changed) and {@code pushback} (null: unchanged). */
  static StateCapture capture(
      StateCapture keyed, boolean whole, List<Object> pushback, ElementCodec<Object> pushbackCodec) {
    return new StateCapture() {
      @Override
      public boolean full() {
        return whole;
      }

      @Override
      public long entries() {
        return (keyed == null ? 0 : keyed.entries()) + (pushback == null ? 0 : pushback.size());
      }

      @Override
      public void writeTo(DataOutputStream out) throws IOException {
        if (keyed == null) {
          out.writeByte(0);
        } else {
          out.writeByte(1);
          keyed.writeTo(out);
        }
        if (pushback == null) {
          out.writeByte(0);
          return;
        }
        out.writeByte(1);
        out.writeInt(pushback.size());
        for (Object element : pushback) {
          Encoding.writeElement(out, pushbackCodec, element);
        }
      }
    };
  }

  /** The pushed-back section that follows the keyed part; null when it is unchanged. */
  static List<Object> readPushback(DataInputStream in, ElementCodec<Object> pushbackCodec)
      throws IOException {
    if (in.readByte() != 1) {
      return null;
    }
    int count = in.readInt();
    List<Object> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      elements.add(Encoding.readElement(in, pushbackCodec));
    }
    return elements;
  }

  /**
   * A chain of captures (a whole one, then changes) merged into one whole capture as it is
   * written ({@link KeyedCaptureMerge}): the keyed parts key by key, then the newest pushed-back
   * section as it was written (a whole capture always has one).
   */
  static StateCapture merge(List<byte[]> chain) throws IOException {
    List<ByteSpan> files = new ArrayList<>();
    List<ByteSpan> keyedParts = new ArrayList<>();
    for (byte[] capture : chain) {
      ByteSpan in = new ByteSpan(capture);
      files.add(in);
      if (in.readByte() == 1) {
        keyedParts.add(in);
      }
    }
    KeyedCaptureMerge keyed = new KeyedCaptureMerge(keyedParts);
    return new StateCapture() {
      @Override
      public boolean full() {
        return true;
      }

      @Override
      public long entries() {
        return keyed.entries();
      }

      @Override
      public void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(1);
        keyed.writeTo(out);
        // Every keyed part is read now: each file's pushed-back section follows.
        byte[] pushback = null;
        for (ByteSpan file : files) {
          if (file.readByte() == 1) {
            pushback = file.rest();
          }
        }
        if (pushback == null) {
          throw new IOException("Corrupt keyed state: no whole capture of the pushed-back elements");
        }
        out.writeByte(1);
        out.write(pushback);
      }
    };
  }
}
