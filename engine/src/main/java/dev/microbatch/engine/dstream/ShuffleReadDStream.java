package dev.microbatch.engine.dstream;

import dev.microbatch.engine.shuffle.ShuffleBlock;
import java.util.Iterator;
import java.util.List;

/**
 * The reduce side of a shuffle: decodes the blocks sent to this partition, in map-task order,
 * inside the reducer's own task (so decoding runs in parallel and fuses with what follows).
 */
final class ShuffleReadDStream<T> extends DStream<Keyed<T>> {
  private final ShuffleWriteDStream<T> writer;

  ShuffleReadDStream(ShuffleWriteDStream<T> writer) {
    super(writer.owner(), "shuffle-read");
    this.writer = writer;
  }

  @Override
  public List<DStream<?>> parents() {
    return List.of(writer);
  }

  @Override
  protected Iterator<Keyed<T>> compute(int partition, TaskContext task) throws Exception {
    Iterator<ShuffleBlock<T>> blocks = writer.iterator(partition, task);
    return Iterators.concat(Iterators.map(blocks, block -> block.read(Keyed::new)));
  }
}
