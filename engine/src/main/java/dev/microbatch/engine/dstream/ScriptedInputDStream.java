package dev.microbatch.engine.dstream;

import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.event.Watermarks;
import java.io.IOException;
import java.util.List;

/**
 * A replayable input whose every batch is scripted partition by partition: in the b-th batch it
 * reads, in partition p, the records and watermark of {@code script.get(b - 1).get(p)}. After the
 * script it reads nothing, at {@link Watermarks#MAX}, and is exhausted. For tests and simulations
 * of event time: a slow partition, a late element, a watermark that jumps.
 */
public final class ScriptedInputDStream<T> extends InputDStream<T> {

  /** One partition's read in one batch. */
  public record Step<T>(List<T> records, long watermark) {}

  private final List<List<Step<T>>> script;
  private volatile int committed;

  public ScriptedInputDStream(StreamOwner context, List<List<Step<T>>> script) {
    super(context, "scripted");
    this.script = List.copyOf(script);
  }

  /** A partition's step: its records, then its watermark. */
  public static <T> Step<T> step(long watermark, List<T> records) {
    return new Step<>(records, watermark);
  }

  @Override
  protected PartitionRead<T> read(int partition, TaskContext task) {
    int position = committed;
    if (position >= script.size()) {
      return new PartitionRead<>(List.of(), position, Watermarks.MAX);
    }
    Step<T> step = script.get(position).get(partition);
    return new PartitionRead<>(step.records(), position + 1, step.watermark());
  }

  @Override
  protected void commit(List<Object> progress) {
    committed = (Integer) progress.get(0);
  }

  /** The position: the number of batches committed, as an int32. */
  @Override
  protected byte[] checkpointPosition() {
    return Encoding.int32(committed);
  }

  @Override
  protected void restorePosition(byte[] position) throws IOException {
    committed = Encoding.int32(position);
  }

  @Override
  public boolean isExhausted() {
    return committed >= script.size();
  }

  @Override
  public boolean hasReadyData() {
    return committed < script.size();
  }
}
