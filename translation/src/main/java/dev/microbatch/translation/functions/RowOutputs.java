package dev.microbatch.translation.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.WindowedValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Rows take their PCollection's schema. A DoFn may output a {@code Row} built with another schema
 * (other field names, another nullability, as Beam's Select, Join and CoGroup do, also as the key
 * of a KV); the next transform must see the row as the output PCollection's coder describes it (a
 * multimap side input is looked up by such keys, and Row equality includes the schema). So each
 * output of an output whose coder holds a Row schema coder goes through that coder, as it would
 * crossing a process boundary. Outputs of other types pass untouched.
 */
final class RowOutputs {
  private final Map<TupleTag<?>, Coder<Object>> rowCoders;
  private final String step;

  private RowOutputs(Map<TupleTag<?>, Coder<Object>> rowCoders, String step) {
    this.rowCoders = rowCoders;
    this.step = step;
  }

  /** The outputs among {@code outputCoders} that carry Rows, or null when there is none. */
  @SuppressWarnings("unchecked")
  static @Nullable RowOutputs of(Map<TupleTag<?>, Coder<?>> outputCoders, String step) {
    Map<TupleTag<?>, Coder<Object>> rows = new HashMap<>();
    outputCoders.forEach(
        (tag, coder) -> {
          if (holdsRows(coder)) {
            rows.put(tag, (Coder<Object>) coder);
          }
        });
    return rows.isEmpty() ? null : new RowOutputs(Map.copyOf(rows), step);
  }

  private static boolean holdsRows(Coder<?> coder) {
    if (coder instanceof SchemaCoder<?> schemaCoder
        && TypeDescriptors.rows().equals(schemaCoder.getEncodedTypeDescriptor())) {
      return true;
    }
    for (Coder<?> component : coder.getCoderArguments()) {
      if (holdsRows(component)) {
        return true;
      }
    }
    return false;
  }

  /** {@code value} as its output's coder describes it. */
  @SuppressWarnings("unchecked")
  <T> WindowedValue<T> conform(TupleTag<T> tag, WindowedValue<T> value) {
    Coder<Object> coder = rowCoders.get(tag);
    if (coder == null) {
      return value;
    }
    try {
      return value.withValue((T) CoderUtils.clone(coder, value.getValue()));
    } catch (CoderException e) {
      throw new IllegalArgumentException(
          "Step " + step + " output an element that its output's coder " + coder
              + " cannot encode: " + value.getValue(),
          e);
    }
  }
}
