package dev.microbatch.engine;

import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.exec.TaskContext;
import java.util.List;

/**
 * A replayable test input that reads, in batch {@code b} and partition {@code p}, the scripted
 * records and watermark {@code script.get(b - 1).get(p)}. After the script it reads nothing, at
 * {@link Watermarks#MAX}, and is exhausted.
 */
final class ScriptedInput<T> extends InputDStream<T> {

  /** One partition's read in one batch. */
  record Step<T>(List<T> records, long watermark) {}

  private final List<List<Step<T>>> script;
  private volatile int committed;

  ScriptedInput(StreamingContext context, List<List<Step<T>>> script) {
    super(context, "scripted");
    this.script = List.copyOf(script);
  }

  static <T> Step<T> step(long watermark, List<T> records) {
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

  @Override
  public boolean isExhausted() {
    return committed >= script.size();
  }

  @Override
  public boolean hasReadyData() {
    return committed < script.size();
  }
}
