package dev.microbatch.streaming;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * How values of one user type are written where they leave memory: across shuffles, into state
 * and into checkpoints (never Java serialization). Register one per type with {@link
 * JavaStreamingContext#registerCodec}; strings, boxed primitives, byte arrays, {@link Tuple2} and
 * lists need none. Equal values must encode to equal bytes when the type is used as a key.
 */
public interface StreamCodec<T> {
  void encode(T value, DataOutput out) throws IOException;

  T decode(DataInput in) throws IOException;
}
