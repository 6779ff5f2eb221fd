package dev.microbatch.engine.dstream;

import dev.microbatch.engine.exec.BatchScope;
import dev.microbatch.engine.exec.Partitions;
import dev.microbatch.engine.exec.TaskContext;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.engine.shuffle.KeyFunction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A shuffle: the map side buckets each input partition by the hash of the elements' encoded keys;
 * output partition i is bucket i of every map task. Values move as objects; only keys are encoded.
 */
final class ShuffledDStream<T> extends DStream<Keyed<T>> {
  private final DStream<T> parent;
  private final KeyFunction<T> keyFunction;

  ShuffledDStream(DStream<T> parent, KeyFunction<T> keyFunction) {
    super(parent.context(), "shuffle");
    this.parent = parent;
    this.keyFunction = keyFunction;
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
  protected Iterator<Keyed<T>> compute(int partition, TaskContext task) {
    throw new IllegalStateException("Internal error: a shuffle is read only once materialized.");
  }

  @Override
  protected Partitions<Keyed<T>> materialize(BatchScope scope) {
    int n = scope.numPartitions();
    List<List<List<Keyed<T>>>> mapOutputs =
        scope.runTasks(
            task -> {
              List<List<Keyed<T>>> buckets = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                buckets.add(new ArrayList<>());
              }
              Iterator<T> input = parent.iterator(task.partition(), task);
              while (input.hasNext()) {
                T element = input.next();
                ByteKey key = keyFunction.keyOf(element);
                buckets.get(key.partition(n)).add(new Keyed<>(key, element));
              }
              return buckets;
            });
    List<List<Keyed<T>>> reduceInputs = new ArrayList<>(n);
    for (int reducer = 0; reducer < n; reducer++) {
      int size = 0;
      for (List<List<Keyed<T>>> buckets : mapOutputs) {
        size += buckets.get(reducer).size();
      }
      List<Keyed<T>> merged = new ArrayList<>(size);
      for (List<List<Keyed<T>>> buckets : mapOutputs) {
        merged.addAll(buckets.get(reducer));
      }
      reduceInputs.add(merged);
    }
    return new Partitions<>(reduceInputs);
  }
}
