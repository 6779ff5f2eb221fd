package dev.microbatch.translation.functions;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.checkpoint.WholeCapture;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.engine.state.BatchVersioned;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * The elements one partition of a streaming ParDo holds back until their side inputs are ready;
 * a failed batch puts back what the last committed batch left. A checkpoint saves the committed
 * elements whole whenever they changed: int32 count, then each element (int32 length + its
 * encoding with the main input's coder).
 */
public final class PushbackBuffer<T> implements BatchVersioned, CheckpointedState {
  private final ElementCodec<WindowedValue<T>> codec;
  private final String fingerprint;
  private List<WindowedValue<T>> elements = new ArrayList<>();
  private List<WindowedValue<T>> committed = List.of();
  private boolean changedSinceCapture;

  /** @param fingerprint what the elements' encoding depends on (their coder) */
  public PushbackBuffer(ElementCodec<WindowedValue<T>> codec, String fingerprint) {
    this.codec = codec;
    this.fingerprint = fingerprint;
  }

  @Override
  public void commit(long batchId) {
    List<WindowedValue<T>> next = List.copyOf(elements);
    changedSinceCapture |= !next.equals(committed);
    committed = next;
  }

  @Override
  public StateCapture capture(boolean full) {
    if (!full && !changedSinceCapture) {
      return null;
    }
    changedSinceCapture = false;
    List<WindowedValue<T>> saved = committed;
    return new WholeCapture(
        saved.size(),
        out -> {
          out.writeInt(saved.size());
          for (WindowedValue<T> element : saved) {
            Encoding.writeElement(out, codec, element);
          }
        });
  }

  @Override
  public void apply(DataInputStream in) throws IOException {
    int count = in.readInt();
    List<WindowedValue<T>> restored = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      restored.add(Encoding.readElement(in, codec));
    }
    committed = List.copyOf(restored);
    elements = restored;
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public void rollback() {
    elements = new ArrayList<>(committed);
  }

  /** Every buffered element, leaving the buffer empty. */
  List<WindowedValue<T>> takeAll() {
    List<WindowedValue<T>> taken = elements;
    elements = new ArrayList<>();
    return taken;
  }

  void addAll(List<WindowedValue<T>> more) {
    elements.addAll(more);
  }

  /** The earliest timestamp held back, or {@link Watermarks#MAX} when nothing is. */
  long earliestTimestamp() {
    long earliest = Watermarks.MAX;
    for (WindowedValue<T> element : elements) {
      earliest = Math.min(earliest, element.getTimestamp().getMillis());
    }
    return earliest;
  }
}
