package dev.microbatch.engine.dstream;

import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.engine.shuffle.EncodedElements;
import dev.microbatch.engine.shuffle.KeyFunction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A stream: a sequence of partitioned batches, one per batch. A stream is an immutable node of its
 * context's graph, defined by its parents and by how it computes one partition of a batch.
 *
 * <p>The base class owns the execution machinery: a stream is computed lazily through its
 * children's iterators (so narrow operations fuse into one pass per partition), except where its
 * batch must exist once as a whole: inputs, shuffles, streams read by several consumers, streams
 * read as dependencies, and streams marked with {@link #cache()}. Those are materialized once per
 * batch as {@link Partitions}.
 */
public abstract class DStream<T> {
  private final StreamOwner owner;
  private final String name;
  private final int id;
  private volatile boolean cached;
  private volatile ElementCodec<T> storedEncodedWith;

  protected DStream(StreamOwner owner, String name) {
    this.owner = owner;
    this.name = name;
    this.id = owner.graph().register(this);
  }

  /** The streams whose batches this stream's partitions are computed from. */
  public abstract List<DStream<?>> parents();

  /**
   * Streams this one reads whole (through {@link TaskContext#materialized}) besides its parents,
   * such as side inputs. They are materialized before this stream is computed.
   */
  public List<DStream<?>> dependencies() {
    return List.of();
  }

  /** Computes partition {@code partition} of the current batch from the parents' iterators. */
  protected abstract Iterator<T> compute(int partition, TaskContext task) throws Exception;

  /** True for streams that must always be computed as a stage of their own. */
  protected boolean isStageBoundary() {
    return false;
  }

  /**
   * Computes this stream's whole batch as one stage. Called on the batch thread once the stage
   * boundaries upstream are materialized; the default runs {@link #compute} per partition.
   */
  protected Partitions<T> materialize(StageScope scope) {
    ElementCodec<T> codec = storedEncodedWith;
    return codec == null ? scope.collect(this) : scope.collectEncoded(this, codec);
  }

  /**
   * Keeps this stream's batch encoded with {@code codec} when it is computed once for several
   * readers (several consumers, a dependency, cached): each reader decodes its own elements as it
   * goes. Far less memory than the elements as objects, for one encoding and a decoding per reader.
   * A stage with its own kind of output (an input, a shuffle, a stateful stage) ignores it.
   */
  public final DStream<T> storeEncoded(ElementCodec<T> codec) {
    storedEncodedWith = codec;
    return this;
  }

  /**
   * An empty list for a partition of this stream's batch: encoded when {@link #storeEncoded} was
   * asked for.
   */
  final List<T> newStoredList() {
    ElementCodec<T> codec = storedEncodedWith;
    return codec == null ? new ArrayList<>() : new EncodedElements<>(codec);
  }

  /** Whether {@link #storeEncoded} was asked for. */
  public final boolean isStoredEncoded() {
    return storedEncodedWith != null;
  }

  /**
   * This stream's output watermark in the current batch, before the committed floor is applied.
   * By default the minimum of its parents' (a narrow operation holds nothing back); inputs and
   * stateful stages report their own while they materialize. Batch thread only.
   */
  protected long outputWatermark(StageScope scope) {
    return scope.inputWatermark(this);
  }

  /** The elements of {@code partition} of the current batch. */
  public final Iterator<T> iterator(int partition, TaskContext task) throws Exception {
    Partitions<T> data = task.materializedIfAny(this);
    if (data != null) {
      return data.partition(partition).iterator();
    }
    Iterator<T> branch = task.sharedBranchIfAny(this);
    return branch != null ? branch : compute(partition, task);
  }

  /** The context this stream belongs to, as far as streams see it. */
  public final StreamOwner owner() {
    return owner;
  }

  public final String name() {
    return name;
  }

  public final int id() {
    return id;
  }

  /** Materialize this stream once per batch even if only one consumer reads it. */
  public final DStream<T> cache() {
    cached = true;
    return this;
  }

  public final boolean isCached() {
    return cached;
  }

  public final boolean isStageBoundaryNode() {
    return isStageBoundary();
  }

  // ---- transformations ----

  public <U> DStream<U> map(Function<? super T, ? extends U> fn) {
    return mapPartitions("map", (input, task) -> Iterators.map(input, fn));
  }

  public <U> DStream<U> flatMap(Function<? super T, ? extends Iterable<? extends U>> fn) {
    return mapPartitions("flatMap", (input, task) -> Iterators.flatMap(input, fn));
  }

  public DStream<T> filter(Predicate<? super T> predicate) {
    return mapPartitions("filter", (input, task) -> Iterators.filter(input, predicate));
  }

  public <U> DStream<U> mapPartitions(String opName, PartitionFunction<T, U> fn) {
    return new MappedPartitionsDStream<>(this, opName, fn, List.of());
  }

  /** Like {@link #mapPartitions} but may read {@code dependencies} whole in each task. */
  public <U> DStream<U> mapPartitions(
      String opName, PartitionFunction<T, U> fn, List<DStream<?>> dependencies) {
    return new MappedPartitionsDStream<>(this, opName, fn, dependencies);
  }

  @SafeVarargs
  public final DStream<T> union(DStream<T>... others) {
    List<DStream<T>> all = new ArrayList<>();
    all.add(this);
    all.addAll(List.of(others));
    return new UnionDStream<>(owner, all);
  }

  /**
   * Moves every element to the partition that owns its encoded key, keeping the key. Elements cross
   * the shuffle encoded with {@code codec}: the next stage sees what the encoding carries.
   */
  public DStream<Keyed<T>> shuffleKeyed(KeyFunction<T> key, ElementCodec<T> codec) {
    return new ShuffleReadDStream<>(new ShuffleWriteDStream<>(this, key, codec));
  }

  /** Moves every element, encoded with {@code codec}, to the partition that owns its encoded key. */
  public DStream<T> shuffle(KeyFunction<T> key, ElementCodec<T> codec) {
    return shuffleKeyed(key, codec).map(Keyed::value);
  }

  /**
   * Shuffles by key (elements encoded with {@code codec}), then groups each partition by key; a
   * group's elements are decoded when it is first read.
   */
  public DStream<Group<T>> groupBy(KeyFunction<T> key, ElementCodec<T> codec) {
    return new ShuffleWriteDStream<>(this, key, codec)
        .mapPartitions("group", (blocks, task) -> EncodedGroups.group(blocks));
  }

  /**
   * A stage that keeps state across batches, one {@code S} per partition, made by {@code
   * initialState} when a partition first runs. Usually applied to a {@link #shuffleKeyed} stream so
   * that each key's state lives in the partition that owns the key.
   */
  public <O, S> DStream<O> stateful(
      String opName, StatefulPartitionFunction<T, O, S> fn, Supplier<S> initialState) {
    return new StatefulDStream<>(this, opName, fn, initialState, List.of());
  }

  /** Like {@link #stateful} but may read {@code dependencies} whole in each task. */
  public <O, S> DStream<O> stateful(
      String opName,
      StatefulPartitionFunction<T, O, S> fn,
      Supplier<S> initialState,
      List<DStream<?>> dependencies) {
    return new StatefulDStream<>(this, opName, fn, initialState, dependencies);
  }

  /** Registers an output operation that consumes every partition of every batch. */
  public void foreachPartition(PartitionConsumer<T> consumer) {
    owner.graph().addOutput(new OutputOperation<>(this, consumer));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "#" + id + "(" + name + ")";
  }
}
