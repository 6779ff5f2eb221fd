package dev.microbatch.streaming;

import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.streaming.function.Function;
import dev.microbatch.streaming.function.Function2;
import dev.microbatch.streaming.internal.CompositeState;
import dev.microbatch.streaming.internal.KeyedBlobState;
import dev.microbatch.streaming.internal.ValueCodec;
import dev.microbatch.streaming.internal.WindowSlots;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code reduceByKeyAndWindow} with an inverse function, on one partition of a stream already
 * reduced by key per batch: each batch adds its values to the keys' window values and takes out
 * those of the batch leaving the window, so a batch costs what its own and the leaving batch's
 * keys cost, never the whole window. At the slide it emits every key's window value (keys the
 * filter rejects leave the state). State: the per-batch values of the window ({@link
 * WindowSlots}) and each key's window value ({@link KeyedBlobState}).
 */
final class InverseWindowFunction<K, V>
    implements StatefulPartitionFunction<Tuple2<K, V>, Tuple2<K, V>, CompositeState> {
  private final Function2<V, V, V> reduce;
  private final Function2<V, V, V> inverse;
  private final Function<Tuple2<K, V>, Boolean> filter;
  private final ValueCodec codec;
  private final int length;
  private final int slide;

  InverseWindowFunction(
      Function2<V, V, V> reduce,
      Function2<V, V, V> inverse,
      Function<Tuple2<K, V>, Boolean> filter,
      ValueCodec codec,
      int length,
      int slide) {
    this.reduce = reduce;
    this.inverse = inverse;
    this.filter = filter;
    this.codec = codec;
    this.length = length;
    this.slide = slide;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StageOutput<Tuple2<K, V>> apply(
      Iterator<Tuple2<K, V>> input, CompositeState state, StageTime time, TaskContext task) throws Exception {
    WindowSlots slots = state.part(0);
    KeyedBlobState window = state.part(1);
    long batchId = task.batch().batchId();
    List<Tuple2<K, V>> batch = new ArrayList<>();
    input.forEachRemaining(batch::add);
    List<Object> leaving = slots.valuesOf(batchId - length);
    slots.add(batchId, batch);
    for (Object value : leaving) {
      Tuple2<K, V> pair = (Tuple2<K, V>) value;
      ByteKey key = codec.key(pair._1());
      byte[] old = window.get(key);
      if (old == null) {
        // A filter removed the key while this batch was in the window: nothing left to take out.
        continue;
      }
      window.put(key, codec.encode(inverse.call(codec.decode(old), pair._2())));
    }
    for (Tuple2<K, V> pair : batch) {
      ByteKey key = codec.key(pair._1());
      byte[] old = window.get(key);
      V next = old == null ? pair._2() : reduce.call(codec.decode(old), pair._2());
      window.put(key, codec.encode(next));
    }
    if (batchId % slide != 0) {
      return new StageOutput<>(List.of(), Watermarks.MAX);
    }
    List<Tuple2<K, V>> out = new ArrayList<>();
    for (ByteKey key : window.keys()) {
      Tuple2<K, V> pair = new Tuple2<>(codec.decode(key.bytes()), codec.decode(window.get(key)));
      if (filter != null && !filter.call(pair)) {
        window.put(key, null);
      } else {
        out.add(pair);
      }
    }
    return new StageOutput<>(out, Watermarks.MAX);
  }
}
