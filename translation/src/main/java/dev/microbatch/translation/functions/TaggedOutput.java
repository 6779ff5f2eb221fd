package dev.microbatch.translation.functions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.values.WindowedValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An element of a multi-output ParDo's stream: the index of its output and the value. Read back
 * from a stored batch ({@link TaggedOutputCodec}) it holds the value's bytes until the value is
 * asked for, so a reader that keeps only one output's elements never decodes the others'.
 */
public final class TaggedOutput {
  private final int outputIndex;
  private @Nullable WindowedValue<?> value;
  private byte @Nullable [] encoded;
  private final @Nullable Coder<WindowedValue<?>> coder;

  public TaggedOutput(int outputIndex, WindowedValue<?> value) {
    this.outputIndex = outputIndex;
    this.value = value;
    this.coder = null;
  }

  private TaggedOutput(int outputIndex, byte[] encoded, Coder<WindowedValue<?>> coder) {
    this.outputIndex = outputIndex;
    this.encoded = encoded;
    this.coder = coder;
  }

  /** An output whose value is {@code encoded} with {@code coder} (nested), decoded when read. */
  static TaggedOutput undecoded(int outputIndex, byte[] encoded, Coder<WindowedValue<?>> coder) {
    return new TaggedOutput(outputIndex, encoded, coder);
  }

  public int outputIndex() {
    return outputIndex;
  }

  /** The value, decoded on the first call if this output was read back encoded. */
  public WindowedValue<?> value() {
    WindowedValue<?> decoded = value;
    if (decoded == null) {
      try {
        decoded = coder.decode(new ByteArrayInputStream(encoded));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Decoding a value of output " + outputIndex + " with " + coder + " failed", e);
      }
      value = decoded;
      encoded = null;
    }
    return decoded;
  }

  @Override
  public String toString() {
    return "TaggedOutput(" + outputIndex + ", " + (value != null ? value : "undecoded") + ")";
  }
}
