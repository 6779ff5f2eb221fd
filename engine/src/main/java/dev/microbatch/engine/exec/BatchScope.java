package dev.microbatch.engine.exec;

import dev.microbatch.engine.dstream.BatchContext;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.OutputOperation;
import dev.microbatch.engine.dstream.Partitions;
import dev.microbatch.engine.dstream.SharedPassStage;
import dev.microbatch.engine.dstream.StageScope;
import dev.microbatch.engine.dstream.StreamGraph;
import dev.microbatch.engine.dstream.StreamMaterializer;
import dev.microbatch.engine.dstream.TaskBody;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.shuffle.ElementCodec;
import dev.microbatch.engine.shuffle.EncodedElements;
import dev.microbatch.engine.state.BatchVersioned;
import dev.microbatch.engine.listener.InputInfo;
import dev.microbatch.engine.listener.StageInfo;
import dev.microbatch.engine.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The working state of one batch while it runs: which streams are materialized, values shared by
 * its tasks, and the accumulator parts and input progress it will hand to the committer. Stages
 * are planned on the batch thread; tasks run on the worker pool.
 */
public final class BatchScope implements StageScope {
  private final BatchContext context;
  private final StreamGraph graph;
  private final WorkerPool pool;
  private final int numPartitions;
  private final WorkerPool.BooleanFlag cancelled;
  private final Clock clock;
  private final Map<DStream<?>, Partitions<?>> materialized = new ConcurrentHashMap<>();
  private final Set<DStream<?>> prepared = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Object, Object> shared = new ConcurrentHashMap<>();
  private final Map<InputDStream<?>, List<Object>> inputProgress = new IdentityHashMap<>();
  private final InStageInputReads inStageReads;
  // Batch thread only: how many stages and outputs have yet to read each materialized stream.
  private final Map<DStream<?>, Integer> readersLeft = new IdentityHashMap<>();
  private final CommitParts commitParts = new CommitParts();
  private final StageWatermarks watermarks = new StageWatermarks();
  private final StageLog stageLog;
  private final List<InputInfo> inputs = new ArrayList<>();
  private long recordsIn;

  public BatchScope(
      BatchContext context,
      StreamGraph graph,
      WorkerPool pool,
      int numPartitions,
      WorkerPool.BooleanFlag cancelled,
      Clock clock) {
    this.context = context;
    this.clock = clock;
    this.graph = graph;
    this.pool = pool;
    this.numPartitions = numPartitions;
    this.cancelled = cancelled;
    this.stageLog = new StageLog(graph, materialized::containsKey);
    this.inStageReads = new InStageInputReads(this, graph, numPartitions);
  }

  @Override
  public BatchContext context() {
    return context;
  }

  @Override
  public int numPartitions() {
    return numPartitions;
  }

  /**
   * The processing time now, while the batch runs: never before the batch's own time. Stages that
   * fire processing-time timers read it as they start, after the stages upstream finished.
   */
  @Override
  public long now() {
    return Math.max(context.batchTime(), clock.millis());
  }

  boolean isCancelled() {
    return cancelled.isSet();
  }

  /**
   * Makes {@code stream} readable by tasks: materializes every stage boundary it reads through,
   * then the stream itself if the graph says it must be. Batch thread only.
   */
  public void prepare(DStream<?> stream) {
    if (prepared.contains(stream)) {
      return;
    }
    List<DStream<?>> passWrites = SharedPassStage.writesRunWith(graph, stream);
    if (!passWrites.isEmpty()) {
      runSharedPass(stream, passWrites);
      return;
    }
    prepareUpstream(stream);
    if (graph.mustMaterialize(stream)) {
      materialize(stream);
    }
    prepared.add(stream);
  }

  private void prepareUpstream(DStream<?> stream) {
    for (DStream<?> parent : stream.parents()) {
      prepare(parent);
    }
    for (DStream<?> dependency : stream.dependencies()) {
      prepare(dependency);
      // Computed here, on the batch thread, so that tasks can read it (see TaskContext).
      outputWatermark(dependency);
    }
  }

  /** Runs the shuffle writes that read one stream in one pass, as one stage (see SharedPassStage). */
  private void runSharedPass(DStream<?> write, List<DStream<?>> writes) {
    for (DStream<?> each : writes) {
      prepareUpstream(each);
    }
    long started = clock.millis();
    Map<DStream<?>, Partitions<?>> outputs;
    try {
      outputs = SharedPassStage.run(graph, write, this);
    } catch (StageFailedException e) {
      throw e.inStage(stageLog.describe(write));
    }
    long millis = clock.millis() - started;
    for (DStream<?> each : writes) {
      Partitions<?> partitions = outputs.get(each);
      materialized.put(each, partitions);
      prepared.add(each);
      stageLog.stageRan(each, millis, recordsOf(partitions));
      release(graph.readBy(each));
    }
  }

  /**
   * The output watermark {@code stream} reaches in this batch: what the stream computes from its
   * parents (or reported while materializing), never below the committed one. Batch thread only.
   */
  public long outputWatermark(DStream<?> stream) {
    Long known = watermarks.output(stream);
    if (known != null) {
      return known;
    }
    prepare(stream);
    long watermark =
        Math.max(
            context.committedWatermarks().output(stream.id()),
            StreamMaterializer.outputWatermark(stream, this));
    watermarks.putOutput(stream, watermark);
    return watermark;
  }

  /** The minimum of the parents' output watermarks in this batch; batch thread only. */
  @Override
  public long inputWatermark(DStream<?> stream) {
    long watermark = Watermarks.MAX;
    for (DStream<?> parent : stream.parents()) {
      watermark = Math.min(watermark, outputWatermark(parent));
    }
    return watermark;
  }

  /** The minimum of the parents' committed output watermarks: the input watermark before this batch. */
  @Override
  public long committedInputWatermark(DStream<?> stream) {
    long watermark = Watermarks.MAX;
    for (DStream<?> parent : stream.parents()) {
      watermark = Math.min(watermark, context.committedWatermarks().output(parent.id()));
    }
    return watermark;
  }

  /** The output watermark of a stream already computed in this batch, for tasks to read. */
  long computedOutputWatermark(DStream<?> stream) {
    return watermarks.computed(stream, context.batchId());
  }

  /** Records the output watermark a stage computed while materializing; batch thread only. */
  @Override
  public void reportWatermark(DStream<?> stream, long watermark) {
    watermarks.report(stream, watermark);
  }

  /** What {@code stream} reported while materializing in this batch. */
  @Override
  public long reportedWatermark(DStream<?> stream) {
    Long reported = watermarks.reported(stream);
    if (reported == null && stream instanceof InputDStream<?> input && inStageReads.isUnread(input)) {
      // Asked for before the consumer's stage read it: read it whole now, as its own stage.
      materialize(input);
      reported = watermarks.reported(stream);
    }
    if (reported == null) {
      throw new IllegalStateException(
          "Internal error: " + stream + " reported no watermark in batch " + context.batchId());
    }
    return reported;
  }

  private <T> void materialize(DStream<T> stream) {
    long started = clock.millis();
    Partitions<T> partitions;
    try {
      partitions = StreamMaterializer.materialize(stream, this);
    } catch (StageFailedException e) {
      throw e.inStage(stageLog.describe(stream));
    }
    materialized.put(stream, partitions);
    stageLog.stageRan(stream, clock.millis() - started, recordsOf(partitions));
    release(graph.readBy(stream));
  }

  private static long recordsOf(Partitions<?> partitions) {
    long records = 0;
    for (List<?> partition : partitions.partitions()) {
      records += partition.size();
    }
    return records;
  }

  /** Drops the batch's data of the streams {@code output} read that no one else will read. */
  void outputRan(OutputOperation<?> output) {
    release(graph.readBy(output));
  }

  /**
   * Called once a stage or output that read {@code reads} has run: a stream whose last reader has
   * run is dropped from memory (a cached one is kept, as asked). Batch thread only.
   */
  private void release(Set<DStream<?>> reads) {
    for (DStream<?> read : reads) {
      int left = readersLeft.getOrDefault(read, graph.readers(read)) - 1;
      readersLeft.put(read, left);
      if (left <= 0 && !read.isCached()) {
        materialized.remove(read);
      }
    }
  }

  /** Records an output operation's time and the records it consumed; batch thread only. */
  void recordOutputOperation(DStream<?> stream, long millis, long records) {
    stageLog.outputRan(stream, millis, records);
  }

  @Override
  public void reportState(DStream<?> stream, StageInfo.StageState state) {
    stageLog.reportState(stream, state);
  }

  /** The stream and the operators fused into its stage, for failure reports. */
  String describeStage(DStream<?> stream) {
    return stageLog.describe(stream);
  }

  /** Computes every partition of {@code stream} into lists. */
  @Override
  public <T> Partitions<T> collect(DStream<T> stream) {
    return collectInto(stream, ArrayList::new);
  }

  /** Computes every partition of {@code stream}, each encoded with {@code codec} as it comes. */
  @Override
  public <T> Partitions<T> collectEncoded(DStream<T> stream, ElementCodec<T> codec) {
    return collectInto(stream, () -> new EncodedElements<>(codec));
  }

  /** Computes every partition of {@code stream}, adding its elements to a fresh list each. */
  private <T> Partitions<T> collectInto(DStream<T> stream, Supplier<List<T>> newPartition) {
    return new Partitions<>(
        runTasks(
            task -> {
              List<T> out = newPartition.get();
              Iterator<T> it = stream.iterator(task.partition(), task);
              while (it.hasNext()) {
                out.add(it.next());
              }
              return out;
            }));
  }

  /** Runs {@code body} once per partition in parallel; results in partition order. */
  @Override
  public <R> List<R> runTasks(TaskBody<R> body) {
    List<WorkerPool.Task<R>> tasks = new ArrayList<>(numPartitions);
    for (int p = 0; p < numPartitions; p++) {
      RunningTask task = new RunningTask(this, p);
      tasks.add(
          () -> {
            R result;
            try {
              result = body.run(task);
              task.finishInStageReads();
            } catch (Exception | Error e) {
              task.abandonInStageReads(e);
              throw e;
            }
            commitParts.absorb(task.accumulatorParts());
            return result;
          });
    }
    List<R> results = pool.runAll(tasks, cancelled);
    inStageReads.recordFinished();
    return results;
  }

  /** What one task read of {@code input} inside its stage; any thread. */
  void readInStage(InputDStream<?> input, int partition, InStageInputs.PartitionResult result) {
    inStageReads.add(input, partition, result);
  }

  /** Reads the in-stage inputs no stage read; batch thread, after the output operations. */
  void readInputsNoStageRead() {
    inStageReads.readThoseNoStageRead();
  }

  @SuppressWarnings("unchecked")
  <T> Partitions<T> materialized(DStream<T> stream) {
    return (Partitions<T>) materialized.get(stream);
  }

  @SuppressWarnings("unchecked")
  <V> V shared(Object key, Supplier<V> init) {
    return (V) shared.computeIfAbsent(key, k -> init.get());
  }

  /** Records what an input read in this batch; batch thread only. */
  @Override
  public void recordInput(InputDStream<?> input, long records, List<Object> progress) {
    recordsIn += records;
    inputProgress.put(input, progress);
    inputs.add(new InputInfo(input.id(), input.name(), records, progress));
  }

  /** Registers state the batch changes provisionally, to commit or roll back; batch thread. */
  @Override
  public void versioned(BatchVersioned state) {
    commitParts.versioned(state);
  }

  /** Discards the provisional changes of a failed batch; batch thread, once no task runs. */
  void rollBack() {
    commitParts.rollBack();
  }

  /** Registers an action to run once this batch has committed; any thread. */
  void afterCommit(Runnable action) {
    commitParts.afterCommit(action);
  }

  private Map<Integer, Long> watermarksById() {
    // Every stage that reported one this batch commits its watermark, whether or not a stage
    // downstream asked for it.
    for (DStream<?> reporter : watermarks.reporters()) {
      outputWatermark(reporter);
    }
    return watermarks.outputById();
  }

  /** The immutable result of this batch, once every output operation has run. */
  BatchResult result(long recordsOut, long startedAt, long finishedAt) {
    return new BatchResult(
        context,
        recordsIn,
        recordsOut,
        inputProgress,
        commitParts.accumulatorParts(),
        watermarksById(),
        commitParts.versionedState(),
        commitParts.afterCommitActions(),
        startedAt,
        finishedAt,
        stageLog.stages(watermarks::known),
        inputs);
  }
}
