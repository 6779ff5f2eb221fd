package dev.microbatch.streaming;

import dev.microbatch.streaming.function.Function3;
import dev.microbatch.streaming.function.Function4;
import java.util.Optional;

/**
 * What {@code mapWithState} does, as Spark's {@code StateSpec}: the function, and optionally the
 * initial state, a partition count and an idle timeout.
 *
 * @param <K> keys
 * @param <V> values of the stream
 * @param <S> each key's state
 * @param <M> what the function emits
 */
public final class StateSpec<K, V, S, M> {
  /** What a call that emits nothing returns internally. */
  static final Object NOTHING = new Object();

  // Returns the value to emit (null allowed) or NOTHING.
  private final Function4<Time, K, Optional<V>, State<S>, Object> mapping;
  private JavaPairRDD<K, S> initialState;
  private Duration timeout;

  private StateSpec(Function4<Time, K, Optional<V>, State<S>, Object> mapping) {
    this.mapping = mapping;
  }

  /** A function that sees the batch time and may emit nothing (an empty Optional). */
  public static <K, V, S, M> StateSpec<K, V, S, M> function(
      Function4<Time, K, Optional<V>, State<S>, Optional<M>> function) {
    return new StateSpec<>(
        (time, key, value, state) -> {
          Optional<M> emitted = function.call(time, key, value, state);
          return emitted.isPresent() ? emitted.get() : NOTHING;
        });
  }

  /** A function that emits one value per call (a null is emitted as null). */
  public static <K, V, S, M> StateSpec<K, V, S, M> function(Function3<K, Optional<V>, State<S>, M> function) {
    return new StateSpec<>((time, key, value, state) -> function.call(key, value, state));
  }

  public StateSpec<K, V, S, M> initialState(JavaPairRDD<K, S> initial) {
    this.initialState = initial;
    return this;
  }

  /**
   * Accepted for Spark programs; the engine partitions state by the context's parallelism. Must be
   * positive.
   */
  public StateSpec<K, V, S, M> numPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("numPartitions must be positive, got " + partitions + ".");
    }
    return this;
  }

  /**
   * Removes the state of a key that has had no data for {@code idle}: the function is called once
   * for it with no value and a state that {@link State#isTimingOut()}.
   */
  public StateSpec<K, V, S, M> timeout(Duration idle) {
    if (idle.milliseconds() <= 0) {
      throw new IllegalArgumentException("The state timeout must be positive, got " + idle + ".");
    }
    this.timeout = idle;
    return this;
  }

  Function4<Time, K, Optional<V>, State<S>, Object> mapping() {
    return mapping;
  }

  JavaPairRDD<K, S> initialStateOrNull() {
    return initialState;
  }

  /** The timeout in milliseconds, or 0 for none. */
  long timeoutMillis() {
    return timeout == null ? 0 : timeout.milliseconds();
  }
}
