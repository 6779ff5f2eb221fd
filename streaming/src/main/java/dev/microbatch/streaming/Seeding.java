package dev.microbatch.streaming;

import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.streaming.internal.KeyedBlobState;
import dev.microbatch.streaming.internal.ValueCodec;
import java.util.List;

/** Loads an operation's initial state, each key into the partition that owns it, once. */
final class Seeding {
  private Seeding() {}

  static <K, S> void seed(KeyedBlobState state, List<Tuple2<K, S>> initial, ValueCodec codec, TaskContext task) {
    if (initial.isEmpty() || state.isSeeded()) {
      return;
    }
    for (Tuple2<K, S> pair : initial) {
      ByteKey key = codec.key(pair._1());
      if (key.partition(task.numPartitions()) == task.partition()) {
        state.put(key, codec.encode(pair._2()));
      }
    }
    state.markSeeded();
  }
}
