package dev.microbatch.streaming;

import dev.microbatch.engine.dstream.Keyed;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.streaming.function.Function2;
import dev.microbatch.streaming.internal.KeyedBlobState;
import dev.microbatch.streaming.internal.ValueCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code updateStateByKey} on one partition: as in Spark, the update function runs for every key
 * that has state or new values in the batch, and its result replaces (or, empty, removes) the
 * key's state; the stream carries every key's state after the batch. A state whose encoding did
 * not change is not rewritten, so a checkpoint saves only the keys that changed.
 */
final class UpdateStateFunction<K, V, S>
    implements StatefulPartitionFunction<Keyed<Tuple2<K, V>>, Tuple2<K, S>, KeyedBlobState> {
  private final Function2<List<V>, Optional<S>, Optional<S>> update;
  private final ValueCodec codec;
  private final int slide;
  private final List<Tuple2<K, S>> initial;

  UpdateStateFunction(
      Function2<List<V>, Optional<S>, Optional<S>> update, ValueCodec codec, int slide, List<Tuple2<K, S>> initial) {
    this.update = update;
    this.codec = codec;
    this.slide = slide;
    this.initial = initial;
  }

  @Override
  public StageOutput<Tuple2<K, S>> apply(
      Iterator<Keyed<Tuple2<K, V>>> input, KeyedBlobState state, StageTime time, TaskContext task)
      throws Exception {
    Map<ByteKey, K> keys = new LinkedHashMap<>();
    Map<ByteKey, List<V>> values = new LinkedHashMap<>();
    while (input.hasNext()) {
      Keyed<Tuple2<K, V>> keyed = input.next();
      keys.putIfAbsent(keyed.key(), keyed.value()._1());
      values.computeIfAbsent(keyed.key(), k -> new ArrayList<>()).add(keyed.value()._2());
    }
    // A stream with a slide has batches only at its slide: the state moves only then.
    if (task.batch().batchId() % slide != 0) {
      return new StageOutput<>(List.of(), Watermarks.MAX);
    }
    Seeding.seed(state, initial, codec, task);
    Set<ByteKey> all = new LinkedHashSet<>(state.keys());
    all.addAll(values.keySet());
    List<Tuple2<K, S>> out = new ArrayList<>(all.size());
    for (ByteKey key : all) {
      byte[] old = state.get(key);
      Optional<S> previous = old == null ? Optional.empty() : Optional.ofNullable(codec.decode(old));
      K k = keys.containsKey(key) ? keys.get(key) : codec.decode(key.bytes());
      Optional<S> next = update.call(values.getOrDefault(key, List.of()), previous);
      if (next.isPresent()) {
        byte[] encoded = codec.encode(next.get());
        if (old == null || !Arrays.equals(old, encoded)) {
          state.put(key, encoded);
        }
        out.add(new Tuple2<>(k, next.get()));
      } else if (old != null) {
        state.put(key, null);
      }
    }
    return new StageOutput<>(out, Watermarks.MAX);
  }
}
