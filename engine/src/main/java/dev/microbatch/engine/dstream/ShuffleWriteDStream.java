package dev.microbatch.engine.dstream;

import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.engine.shuffle.KeyFunction;
import dev.microbatch.engine.shuffle.ShuffleBlock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The map side of a shuffle, a stage of its own: each map task encodes its partition's elements
 * into one {@link ShuffleBlock} per reducer, bucketed by the hash of the encoded key. Partition i
 * of its batch is the blocks every map task wrote for reducer i, in map-task order; {@link
 * ShuffleReadDStream} decodes them in the reducer's task.
 */
final class ShuffleWriteDStream<T> extends DStream<ShuffleBlock<T>> {
  private final DStream<T> parent;
  private final KeyFunction<T> keyFunction;
  private final ElementCodec<T> codec;

  ShuffleWriteDStream(DStream<T> parent, KeyFunction<T> keyFunction, ElementCodec<T> codec) {
    super(parent.owner(), "shuffle-write");
    this.parent = parent;
    this.keyFunction = keyFunction;
    this.codec = codec;
  }

  @Override
  public List<DStream<?>> parents() {
    return List.of(parent);
  }

  @Override
  protected boolean isStageBoundary() {
    return true;
  }

  @Override
  protected Iterator<ShuffleBlock<T>> compute(int partition, TaskContext task) {
    throw new IllegalStateException("Internal error: a shuffle is read only once materialized.");
  }

  @Override
  protected Partitions<ShuffleBlock<T>> materialize(StageScope scope) {
    int n = scope.numPartitions();
    List<List<ShuffleBlock<T>>> mapOutputs =
        scope.runTasks(
            task -> {
              List<ShuffleBlock<T>> blocks = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                blocks.add(new ShuffleBlock<>(codec));
              }
              Iterator<T> input = parent.iterator(task.partition(), task);
              while (input.hasNext()) {
                T element = input.next();
                ByteKey key = keyFunction.keyOf(element);
                blocks.get(key.partition(n)).add(key, element);
              }
              return blocks;
            });
    List<List<ShuffleBlock<T>>> reduceInputs = new ArrayList<>(n);
    for (int reducer = 0; reducer < n; reducer++) {
      List<ShuffleBlock<T>> blocks = new ArrayList<>(mapOutputs.size());
      for (List<ShuffleBlock<T>> mapOutput : mapOutputs) {
        ShuffleBlock<T> block = mapOutput.get(reducer);
        if (block.count() > 0) {
          blocks.add(block);
        }
      }
      reduceInputs.add(blocks);
    }
    return new Partitions<>(reduceInputs);
  }
}
