package dev.microbatch.engine.dstream;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch's data of one stream, computed once: a fixed number of partitions, each a list that
 * nobody mutates after the stage that produced it.
 */
public record Partitions<T>(List<List<T>> partitions) {

  public Partitions {
    partitions = List.copyOf(partitions);
  }

  public int count() {
    return partitions.size();
  }

  public List<T> partition(int index) {
    return partitions.get(index);
  }

  /** Every element of every partition, in partition order. */
  public List<T> all() {
    int size = 0;
    for (List<T> part : partitions) {
      size += part.size();
    }
    List<T> all = new ArrayList<>(size);
    for (List<T> part : partitions) {
      all.addAll(part);
    }
    return all;
  }
}
