package dev.microbatch.io.beam;

import dev.microbatch.engine.checkpoint.Encoding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * The position of an unbounded source in a checkpoint (big-endian):
 *
 * <pre>
 *   byte   1 when the source has been split, then its splits ({@link SourceSplitsCodec}); else 0
 *   byte   exhausted (every split finished)          byte   backlog (the last read hit its limit)
 *   int32  split positions, each: int32 split index, int64 records read, byte finished,
 *          int64 read deadline (engine clock ms; Long.MAX_VALUE: none yet), bytes the split's
 *          CheckpointMark encoded with the source's mark coder (length -1: none)
 * </pre>
 */
final class UnboundedPositionCodec {
  private UnboundedPositionCodec() {}

  record Decoded<T>(
      List<? extends UnboundedSource<T, ?>> splits,
      Map<Integer, UnboundedSourceInputDStream.SplitPosition> positions,
      boolean exhausted,
      boolean backlog) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static byte[] encode(
      List<? extends UnboundedSource<?, ?>> splits,
      Map<Integer, UnboundedSourceInputDStream.SplitPosition> positions,
      Coder<?> markCoder,
      boolean exhausted,
      boolean backlog)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(splits == null ? 0 : 1);
    if (splits != null) {
      SourceSplitsCodec.write(out, splits);
    }
    out.writeByte(exhausted ? 1 : 0);
    out.writeByte(backlog ? 1 : 0);
    out.writeInt(positions.size());
    for (UnboundedSourceInputDStream.SplitPosition position : positions.values()) {
      out.writeInt(position.index());
      out.writeLong(position.recordsRead());
      out.writeByte(position.finished() ? 1 : 0);
      out.writeLong(position.deadline());
      Encoding.writeNullableBytes(
          out,
          position.mark() == null
              ? null
              : CoderUtils.encodeToByteArray((Coder) markCoder, position.mark()));
    }
    out.flush();
    return bytes.toByteArray();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> Decoded<T> decode(byte[] position, Coder<?> markCoder) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(position));
    List<? extends UnboundedSource<T, ?>> splits =
        in.readByte() == 1 ? (List) SourceSplitsCodec.read(in) : null;
    boolean exhausted = in.readByte() == 1;
    boolean backlog = in.readByte() == 1;
    int count = in.readInt();
    Map<Integer, UnboundedSourceInputDStream.SplitPosition> positions = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int index = in.readInt();
      long records = in.readLong();
      boolean finished = in.readByte() == 1;
      long deadline = in.readLong();
      byte[] mark = Encoding.readNullableBytes(in);
      positions.put(
          index,
          new UnboundedSourceInputDStream.SplitPosition(
              index,
              mark == null
                  ? null
                  : (UnboundedSource.CheckpointMark)
                      CoderUtils.decodeFromByteArray((Coder) markCoder, mark),
              records,
              finished,
              deadline));
    }
    return new Decoded<>(splits, positions, exhausted, backlog);
  }
}
