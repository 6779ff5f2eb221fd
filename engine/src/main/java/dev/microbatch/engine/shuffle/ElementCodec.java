package dev.microbatch.engine.shuffle;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * How an element crosses a shuffle: the map side writes it as bytes and the reduce side reads it
 * back, so what reaches the next stage is exactly what the encoding carries (and an element that
 * cannot be encoded fails the batch where it is produced). {@link #decode} reads from a stream that
 * ends where the element's bytes end, so an encoding need not delimit itself.
 *
 * <p>{@code toString()} should say what the codec encodes (such as a coder and its collection): it
 * names the failing codec in errors.
 */
public interface ElementCodec<T> {
  void encode(T element, OutputStream out) throws Exception;

  T decode(InputStream in) throws Exception;
}
