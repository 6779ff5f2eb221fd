package dev.microbatch.translation.functions;

import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * A multi-output ParDo's batch kept encoded for its readers (one per output): the output index,
 * then the value in its output's windowed coder. Decoding reads the index and keeps the value's
 * bytes ({@link TaggedOutput#value} decodes them), so each reader decodes only the elements of the
 * output it keeps, not every output's.
 */
public final class TaggedOutputCodec implements ElementCodec<Object> {
  private final List<Coder<WindowedValue<?>>> coders;
  private final String description;

  /**
   * {@code coders}: each output's windowed value coder, in output index order; {@code outputNames}
   * names the outputs in errors.
   */
  public TaggedOutputCodec(List<Coder<WindowedValue<?>>> coders, String outputNames) {
    this.coders = List.copyOf(coders);
    this.description = "the coders " + coders + " of the outputs " + outputNames;
  }

  @Override
  public void encode(Object element, OutputStream out) throws Exception {
    TaggedOutput tagged = (TaggedOutput) element;
    VarInt.encode(tagged.outputIndex(), out);
    coders.get(tagged.outputIndex()).encode(tagged.value(), out);
  }

  @Override
  public Object decode(InputStream in) throws Exception {
    int index = VarInt.decodeInt(in);
    // The stream ends where the element ends. A stored batch's element streams say exactly how
    // much is left; any other stream's rest is read to its end.
    byte[] value = in.readNBytes(in.available());
    int next = in.read();
    if (next != -1) {
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      whole.write(value);
      whole.write(next);
      in.transferTo(whole);
      value = whole.toByteArray();
    }
    return TaggedOutput.undecoded(index, value, coders.get(index));
  }

  @Override
  public String toString() {
    return description;
  }
}
