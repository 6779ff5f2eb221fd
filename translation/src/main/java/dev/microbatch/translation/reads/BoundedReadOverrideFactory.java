package dev.microbatch.translation.reads;

import java.lang.reflect.Field;
import java.util.Map;
import org.apache.beam.sdk.io.BoundedReadFromUnboundedSource;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformOverrideFactory;
import org.apache.beam.sdk.util.construction.ReplacementOutputs;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * Replaces Beam's {@code Read.from(unboundedSource).withMaxNumRecords(..)/.withMaxReadTime(..)}
 * with {@link BoundedReadOfUnboundedSource}. Beam keeps the read's bounds in private fields with no
 * accessors, so they are read reflectively; Beam's version is pinned, and if its fields ever
 * change the runner says so instead of guessing.
 */
public final class BoundedReadOverrideFactory<T>
    implements PTransformOverrideFactory<
        PBegin, PCollection<T>, BoundedReadFromUnboundedSource<T>> {

  @Override
  @SuppressWarnings("unchecked")
  public PTransformReplacement<PBegin, PCollection<T>> getReplacementTransform(
      AppliedPTransform<PBegin, PCollection<T>, BoundedReadFromUnboundedSource<T>> transform) {
    BoundedReadFromUnboundedSource<T> read = transform.getTransform();
    return PTransformReplacement.of(
        transform.getPipeline().begin(),
        new BoundedReadOfUnboundedSource<>(
            (UnboundedSource<T, ?>) field(read, "source"),
            (Long) field(read, "maxNumRecords"),
            (Duration) field(read, "maxReadTime")));
  }

  @Override
  public Map<PCollection<?>, ReplacementOutput> mapOutputs(
      Map<TupleTag<?>, PCollection<?>> outputs, PCollection<T> newOutput) {
    return ReplacementOutputs.singleton(outputs, newOutput);
  }

  private static Object field(BoundedReadFromUnboundedSource<?> read, String name) {
    try {
      Field field = BoundedReadFromUnboundedSource.class.getDeclaredField(name);
      field.setAccessible(true);
      return field.get(read);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "MicroBatchRunner cannot read the bounds of "
              + read.getName()
              + ": BoundedReadFromUnboundedSource has no field '"
              + name
              + "' in this Beam version; the runner supports the Beam version it was built with",
          e);
    }
  }
}
