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

  DStream<T> parent() {
    return parent;
  }

  @Override
  protected Partitions<ShuffleBlock<T>> materialize(StageScope scope) {
    int n = scope.numPartitions();
    return byReducer(
        scope.runTasks(
            task -> {
              List<ShuffleBlock<T>> blocks = newBlocks(n);
              Iterator<T> input = parent.iterator(task.partition(), task);
              while (input.hasNext()) {
                write(blocks, input.next());
              }
              return blocks;
            }),
        n);
  }

  /** A map task's output: one empty block per reducer. */
  List<ShuffleBlock<T>> newBlocks(int reducers) {
    List<ShuffleBlock<T>> blocks = new ArrayList<>(reducers);
    for (int i = 0; i < reducers; i++) {
      blocks.add(new ShuffleBlock<>(codec));
    }
    return blocks;
  }

  /** Adds {@code element} to the block of its key's reducer. */
  void write(List<ShuffleBlock<T>> blocks, T element) throws Exception {
    ByteKey key = keyFunction.keyOf(element);
    blocks.get(key.partition(blocks.size())).add(key, element);
  }

  /** Partition i of the shuffle: the non-empty blocks every map task wrote for reducer i. */
  static <T> Partitions<ShuffleBlock<T>> byReducer(List<List<ShuffleBlock<T>>> mapOutputs, int n) {
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
