package dev.microbatch.streaming;

import dev.microbatch.engine.dstream.Keyed;
import dev.microbatch.engine.dstream.StageOutput;
import dev.microbatch.engine.dstream.StatefulPartitionFunction;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.StageTime;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ByteKey;
import dev.microbatch.streaming.function.Function4;
import dev.microbatch.streaming.internal.KeyedBlobState;
import dev.microbatch.streaming.internal.ValueCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mapWithState} on one partition: the function runs once per value, in arrival order, with
 * the key's state; only keys with data are touched (the cost follows the batch, not the state).
 * With a timeout, a key whose last data is older than the timeout at a batch's time (strictly, as
 * Spark) gets one more call with no value, then loses its state; unlike Spark, which looks for
 * idle keys only in some batches, every batch does. Emits {@link Output}s: mapped values, and,
 * when asked for, every key's state after the batch.
 */
final class MapWithStateFunction<K, V, S>
    implements StatefulPartitionFunction<Keyed<Tuple2<K, V>>, MapWithStateFunction.Output, KeyedBlobState> {

  /** A mapped value, or (snapshot) a key's state as a {@link Tuple2}. */
  record Output(boolean snapshot, Object value) {}

  /** One key's state while a batch runs. */
  private static final class Current<K, S> {
    final K key;
    S value;
    boolean exists;
    boolean changed;

    Current(K key, S value, boolean exists) {
      this.key = key;
      this.value = value;
      this.exists = exists;
    }
  }

  private final Function4<Time, K, Optional<V>, State<S>, Object> mapping;
  private final ValueCodec codec;
  private final int slide;
  private final long timeoutMillis;
  private final List<Tuple2<K, S>> initial;
  private volatile boolean snapshots;

  MapWithStateFunction(StateSpec<K, V, S, ?> spec, ValueCodec codec, int slide, List<Tuple2<K, S>> initial) {
    this.mapping = spec.mapping();
    this.codec = codec;
    this.slide = slide;
    this.timeoutMillis = spec.timeoutMillis();
    this.initial = initial;
  }

  /** Also emit every key's state after each batch (for {@code stateSnapshots()}). */
  void emitSnapshots() {
    snapshots = true;
  }

  @Override
  public StageOutput<Output> apply(
      Iterator<Keyed<Tuple2<K, V>>> input, KeyedBlobState state, StageTime stageTime, TaskContext task)
      throws Exception {
    long batchId = task.batch().batchId();
    if (batchId % slide != 0) {
      input.forEachRemaining(ignored -> {});
      return new StageOutput<>(List.of(), Watermarks.MAX);
    }
    Seeding.seed(state, initial, codec, task);
    long batchTime = task.batch().batchTime();
    Time time = new Time(batchTime);
    List<Output> out = new ArrayList<>();
    Map<ByteKey, Current<K, S>> touched = new LinkedHashMap<>();
    State<S> holder = new State<>();
    while (input.hasNext()) {
      Keyed<Tuple2<K, V>> keyed = input.next();
      Current<K, S> current =
          touched.computeIfAbsent(
              keyed.key(),
              key -> {
                byte[] blob = state.get(key);
                return new Current<>(keyed.value()._1(), blob == null ? null : codec.decode(blob), blob != null);
              });
      holder.reset(current.value, current.exists, false);
      Object emitted = mapping.call(time, current.key, Optional.ofNullable(keyed.value()._2()), holder);
      if (holder.isUpdated() || holder.isRemoved()) {
        current.value = holder.isRemoved() ? null : holder.get();
        current.exists = !holder.isRemoved();
        current.changed = true;
      }
      if (emitted != StateSpec.NOTHING) {
        out.add(new Output(false, emitted));
      }
    }
    for (Map.Entry<ByteKey, Current<K, S>> entry : touched.entrySet()) {
      Current<K, S> current = entry.getValue();
      if (current.changed) {
        state.put(entry.getKey(), current.exists ? codec.encode(current.value) : null);
      }
      if (timeoutMillis > 0) {
        // Data refreshes a key's idle time even when the function left its state as it was.
        if (current.exists) {
          state.setTimeout(entry.getKey(), batchTime + timeoutMillis);
        } else {
          state.clearTimeout(entry.getKey());
        }
      }
    }
    if (timeoutMillis > 0) {
      for (ByteKey key : state.pollTimedOut(batchTime)) {
        byte[] blob = state.get(key);
        if (blob == null) {
          continue;
        }
        holder.reset(codec.decode(blob), true, true);
        Object emitted = mapping.call(time, codec.decode(key.bytes()), Optional.empty(), holder);
        if (emitted != StateSpec.NOTHING) {
          out.add(new Output(false, emitted));
        }
        state.put(key, null);
      }
    }
    if (snapshots) {
      for (ByteKey key : state.keys()) {
        out.add(new Output(true, new Tuple2<>(codec.decode(key.bytes()), codec.decode(state.get(key)))));
      }
    }
    return new StageOutput<>(out, Watermarks.MAX);
  }
}
