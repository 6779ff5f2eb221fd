package dev.microbatch.translation.shuffle;

import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowedValues;

/**
 * A Beam coder as the engine's shuffle codec. Elements of a PCollection cross a shuffle encoded
 * with the PCollection's coder (and its windows with the window coder), as on every distributed
 * runner: a broken coder fails where the element is produced, and the next stage sees exactly what
 * the coder carries (a Row gets its PCollection's schema, a field the coder drops is gone).
 */
public final class BeamElementCodec<T> implements ElementCodec<T> {
  private final Coder<T> coder;
  private final String description;

  private BeamElementCodec(Coder<T> coder, String description) {
    this.coder = coder;
    this.description = description;
  }

  /** The windowed elements of {@code collection}, with its coder and its window coder. */
  public static <T> ElementCodec<WindowedValue<T>> of(PCollection<T> collection) {
    return windowed(collection.getCoder(), windowCoderOf(collection), collection.getName());
  }

  /** Windowed values of {@code valueCoder} in windows of {@code windowCoder}. */
  public static <T> ElementCodec<WindowedValue<T>> windowed(
      Coder<T> valueCoder, Coder<? extends BoundedWindow> windowCoder, String collectionName) {
    return plain(WindowedValues.getFullCoder(valueCoder, windowCoder), collectionName);
  }

  /** Values encoded with {@code coder} as they are. */
  public static <T> ElementCodec<T> plain(Coder<T> coder, String collectionName) {
    return new BeamElementCodec<>(coder, "coder " + coder + " of " + collectionName);
  }

  public static Coder<? extends BoundedWindow> windowCoderOf(PCollection<?> collection) {
    return collection.getWindowingStrategy().getWindowFn().windowCoder();
  }

  @Override
  public void encode(T element, OutputStream out) throws Exception {
    coder.encode(element, out);
  }

  @Override
  public T decode(InputStream in) throws Exception {
    return coder.decode(in);
  }

  @Override
  public String toString() {
    return description;
  }
}
