package dev.microbatch.translation.functions;

import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.io.beam.BeamTime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.values.WindowedValue;

/**
 * The stage in front of a {@code @RequiresStableInput} ParDo: buffers each batch's input in a
 * {@link StableInputBuffer} and passes on, decoded from the buffer, the batches that have become
 * stable. Its watermark hold is the earliest buffered timestamp, so nothing downstream treats
 * buffered elements as late.
 */
public final class StableInputFunction<T>
    implements StatefulPartitionFunction<WindowedValue<T>, WindowedValue<T>, StableInputBuffer> {
  private final ElementCodec<WindowedValue<T>> codec;

  public StableInputFunction(ElementCodec<WindowedValue<T>> codec) {
    this.codec = codec;
  }

  @Override
  public StageOutput<WindowedValue<T>> apply(
      Iterator<WindowedValue<T>> input, StableInputBuffer buffer, StageTime time, TaskContext task)
      throws Exception {
    List<byte[]> encoded = new ArrayList<>();
    long earliest = Watermarks.MAX;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (input.hasNext()) {
      WindowedValue<T> element = input.next();
      bytes.reset();
      codec.encode(element, bytes);
      encoded.add(bytes.toByteArray());
      earliest = Math.min(earliest, BeamTime.toEngine(element.getTimestamp()));
    }
    if (!encoded.isEmpty()) {
      buffer.add(task.batch().batchId(), new StableInputBuffer.Buffered(earliest, List.copyOf(encoded)));
    }
    List<WindowedValue<T>> stable = new ArrayList<>();
    for (StableInputBuffer.Buffered batch : buffer.takeThrough(task.batch().stableThrough())) {
      for (byte[] element : batch.elements()) {
        stable.add(codec.decode(new ByteArrayInputStream(element)));
      }
    }
    return new StageOutput<>(stable, buffer.earliestTimestamp());
  }
}
