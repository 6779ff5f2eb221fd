package dev.microbatch.io.beam;

import dev.microbatch.engine.checkpoint.Encoding;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.Source;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * A source's splits exactly as they were assigned, for a checkpoint: restored verbatim, never split
 * again (splitting again on restore can hand a saved position to another split). Each split is
 * encoded with Beam's {@link SerializableCoder}, the coder Beam itself uses for sources in
 * restrictions. Layout: int32 count, then per split int32 length and its encoding.
 */
final class SourceSplitsCodec {
  private SourceSplitsCodec() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <S extends Source<?>> Coder<S> coder() {
    return (Coder) SerializableCoder.of((Class) Source.class);
  }

  static void write(DataOutputStream out, List<? extends Source<?>> splits) throws IOException {
    out.writeInt(splits.size());
    for (Source<?> split : splits) {
      Encoding.writeBytes(out, CoderUtils.encodeToByteArray(coder(), split));
    }
  }

  static <S extends Source<?>> List<S> read(DataInputStream in) throws IOException {
    int count = in.readInt();
    List<S> splits = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      splits.add(CoderUtils.decodeFromByteArray(SourceSplitsCodec.<S>coder(), Encoding.readBytes(in)));
    }
    return splits;
  }
}
