package dev.microbatch.engine.recovery;

import dev.microbatch.engine.listener.CheckpointInfo;
import java.util.function.Consumer;
import dev.microbatch.engine.checkpoint.Checkpoint;
import dev.microbatch.engine.checkpoint.CheckpointConfig;
import dev.microbatch.engine.checkpoint.CheckpointException;
import dev.microbatch.engine.checkpoint.CheckpointStore;
import dev.microbatch.engine.checkpoint.CheckpointWriter;
import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.DataFileRef;
import dev.microbatch.engine.checkpoint.GraphCheckpoint;
import dev.microbatch.engine.checkpoint.GraphCheckpointCodec;
import dev.microbatch.engine.checkpoint.StateCapture;
import dev.microbatch.engine.checkpoint.WriterIdentity;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.StreamGraph;
import dev.microbatch.engine.exec.WorkerPool;
import dev.microbatch.engine.metrics.Accumulator;
import dev.microbatch.engine.time.Clock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints a context's graph and restores it. A checkpoint is taken on the driver between two
 * batches, right after a commit: {@link #checkpoint} captures the committed state (references to
 * immutable values, and the changed keys only, see {@link CheckpointedState}) and hands the
 * encoding and writing to a single checkpoint thread, so the next batch starts at once; the
 * returned future completes once the checkpoint is durable. One checkpoint is written at a time,
 * in batch order.
 *
 * <p>Each stateful stage's partition has a chain of files ({@link StateChains}); the graph file
 * ({@link GraphCheckpointCodec}) names every chain, input position, watermark and accumulator
 * value; {@link CheckpointFiles} writes them.
 */
public final class CheckpointCoordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);
  static final String GRAPH_FILE = "graph";

  private final String name;
  private final CheckpointConfig config;
  private final int parallelism;
  private final Clock clock;
  private final CheckpointUnits units;
  private final List<Accumulator<?>> accumulators;
  private final ExecutorService writerThread;
  private CheckpointStore store;
  private CheckpointWriter writer;

  // Driver thread only.
  private final StateChains chains;
  private final Consumer<CheckpointInfo> onDurable;
  private CompletableFuture<Long> inFlight = CompletableFuture.completedFuture(-1L);
  private long lastCheckpointAt = Long.MIN_VALUE;
  private long lastCaptured = -1;

  private CheckpointFiles files;

  /** Where a restored context resumes. */
  public record Restored(long batchId, long batchTime, Map<Integer, Long> watermarks) {}

  /** What {@link #checkpoint} hands to the checkpoint thread. */
  private record Pending(
      long batchId,
      long batchTime,
      GraphCheckpoint graph,
      Map<String, StateCapture> captures,
      List<ChainCompaction> compactions,
      long captureMillis) {}

  public CheckpointCoordinator(
      String name,
      CheckpointConfig config,
      int parallelism,
      Clock clock,
      StreamGraph graph,
      List<Accumulator<?>> accumulators) {
    this(name, config, parallelism, clock, graph, accumulators, info -> {});
  }

  /** @param onDurable hears of each checkpoint once it is durable, on the checkpoint thread */
  public CheckpointCoordinator(
      String name,
      CheckpointConfig config,
      int parallelism,
      Clock clock,
      StreamGraph graph,
      List<Accumulator<?>> accumulators,
      Consumer<CheckpointInfo> onDurable) {
    this.onDurable = onDurable;
    this.name = name;
    this.config = config;
    this.parallelism = parallelism;
    this.clock = clock;
    this.units = new CheckpointUnits(graph);
    this.chains = new StateChains(parallelism, config.compactAfterChanges());
    this.accumulators = List.copyOf(accumulators);
    this.writerThread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name + "-checkpoint");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens the checkpoint directory as its only writer and restores the newest valid checkpoint, if
   * there is one. Fails, before any batch runs, if another writer is live, if checkpoints exist but
   * none is valid, or if the newest valid one does not match the graph (unless non-restored state
   * is allowed).
   *
   * @return where to resume, or empty when the directory holds no checkpoint
   */
  public Optional<Restored> start() throws IOException {
    // Fail before touching the directory if some state cannot be checkpointed at all.
    List<GraphCheckpoint.Unit> current = units.describe();
    checkAccumulators();
    store = CheckpointStore.open(config.location(), new Configuration());
    writer = store.openWriter(WriterIdentity.ofThisProcess(), clock, config.leaseTimeoutMillis());
    files = new CheckpointFiles(name, writer, clock, config.failpoint(), chains);
    Optional<Checkpoint> latest = store.latest();
    if (latest.isEmpty()) {
      LOG.info("{}: no checkpoint in {}; starting from the beginning", name, store.root());
      return Optional.empty();
    }
    Checkpoint checkpoint = latest.get();
    GraphCheckpoint saved = readGraph(checkpoint);
    List<String> differences = CompatibilityCheck.differences(saved, current, parallelism);
    Set<String> restorable;
    if (differences.isEmpty()) {
      restorable = units.byName().keySet();
    } else if (config.allowNonRestoredState() && saved.parallelism() == parallelism) {
      restorable = CompatibilityCheck.restorable(saved, current);
      LOG.warn(
          "{}: the checkpoint of batch {} does not match this pipeline; allowNonRestoredState is on,"
              + " so only {} are restored. Differences:\n  - {}",
          name,
          checkpoint.batchId(),
          restorable,
          String.join("\n  - ", differences));
    } else {
      throw new IncompatibleCheckpointException(store.root().toString(), differences);
    }
    Map<Integer, Long> watermarks = load(checkpoint, saved, restorable);
    // A newer manifest that did not validate keeps its batch id: number on after it.
    long resumeAfter = Math.max(checkpoint.batchId(), writer.lastCommittedBatch());
    lastCaptured = checkpoint.batchId();
    LOG.info(
        "{}: restored the checkpoint of batch {} from {} ({} files); resuming after batch {}",
        name,
        checkpoint.batchId(),
        store.root(),
        checkpoint.files().size(),
        resumeAfter);
    return Optional.of(new Restored(resumeAfter, checkpoint.batchTimeMillis(), watermarks));
  }

  /**
   * Whether the batch that just committed should be checkpointed: none is being written, and the
   * minimum interval has passed since the last one.
   */
  public boolean isDue() {
    return inFlight.isDone()
        && (config.minIntervalMillis() == 0
            || lastCheckpointAt == Long.MIN_VALUE
            || clock.millis() - lastCheckpointAt >= config.minIntervalMillis());
  }

  /** The newest batch a checkpoint captured (durable or being written), -1 if none. */
  public long lastCaptured() {
    return lastCaptured;
  }

  /**
   * Captures the state as of the batch that just committed and writes it on the checkpoint
   * thread. Call on the driver, between batches.
   *
   * @param watermarks the committed output watermarks by stream id
   * @param workers where each partition's state is captured, on its own worker thread, all
   *     partitions at once; null to capture them one after the other on the calling thread
   * @return completes with {@code batchId} once the checkpoint is durable
   */
  public CompletableFuture<Long> checkpoint(
      long batchId, long batchTime, Map<Integer, Long> watermarks, WorkerPool workers)
      throws IOException {
    Pending pending = capture(batchId, batchTime, watermarks, workers);
    lastCaptured = batchId;
    lastCheckpointAt = clock.millis();
    CompletableFuture<Long> durable = new CompletableFuture<>();
    CompletableFuture<Long> previous = inFlight;
    writerThread.execute(
        () -> {
          try {
            previous.join();
            CheckpointInfo info =
                files.write(
                    pending.batchId(),
                    pending.batchTime(),
                    pending.graph(),
                    pending.captures(),
                    pending.compactions(),
                    pending.captureMillis());
            durable.complete(batchId);
            onDurable.accept(info);
          } catch (Throwable t) {
            durable.completeExceptionally(t);
          }
        });
    inFlight = durable;
    return durable;
  }

  /** Completes once the newest checkpoint captured is durable (at once if none is being written). */
  public CompletableFuture<Long> newestDurable() {
    return inFlight;
  }

  /**
   * Test only ({@link CheckpointConfig#restoreEveryBatch}): throws every stage's state, input
   * position and accumulator value away and loads them from the newest checkpoint on disk.
   *
   * @return the committed watermarks it holds, by stream id
   */
  public Map<Integer, Long> reloadFromDisk() throws IOException {
    inFlight.join();
    Checkpoint checkpoint =
        store
            .latest()
            .orElseThrow(() -> new CheckpointException("No checkpoint to reload in " + store.root()));
    return load(checkpoint, readGraph(checkpoint), units.byName().keySet());
  }

  /** Waits for the checkpoint being written, then releases the directory. */
  @Override
  public void close() throws IOException {
    try {
      inFlight.exceptionally(t -> -1L).join();
    } finally {
      writerThread.shutdown();
      try {
        writerThread.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (writer != null) {
        writer.close();
      }
    }
  }

  private Pending capture(
      long batchId, long batchTime, Map<Integer, Long> watermarks, WorkerPool workers)
      throws IOException {
    long started = clock.millis();
    Map<String, Long> watermarksByName = new LinkedHashMap<>();
    watermarks.forEach(
        (id, watermark) -> {
          String key = units.streamKeyOf(id);
          if (key != null) {
            watermarksByName.put(key, watermark);
          }
        });
    Map<String, byte[]> positions = new LinkedHashMap<>();
    List<String> stages = new ArrayList<>();
    for (Map.Entry<String, DStream<?>> unit : units.byName().entrySet()) {
      if (unit.getValue() instanceof InputDStream<?> input) {
        positions.put(unit.getKey(), input.savePosition());
      } else {
        stages.add(unit.getKey());
      }
    }
    List<List<StateCapture>> byPartition =
        PartitionCaptures.capture(stages, units, chains, parallelism, workers);
    Map<String, StateCapture> captures = new LinkedHashMap<>();
    Map<String, Integer> stageIndexes = new HashMap<>();
    for (int stageIndex = 0; stageIndex < stages.size(); stageIndex++) {
      String stage = stages.get(stageIndex);
      stageIndexes.put(stage, stageIndex);
      for (int p = 0; p < parallelism; p++) {
        StateCapture capture = byPartition.get(p).get(stageIndex);
        if (capture == null) {
          continue;
        }
        String fileName = "s" + stageIndex + "-p" + p + (capture.full() ? ".full" : ".changes");
        chains.add(stage, p, CheckpointWriter.dataPath(batchId, fileName), capture);
        captures.put(fileName, capture);
      }
    }
    List<ChainCompaction> compactions = new ArrayList<>();
    for (StateChains.Compaction compaction :
        chains.scheduleCompactions(
            batchId, (stage, p) -> "s" + stageIndexes.get(stage) + "-p" + p + ".full")) {
      compactions.add(new ChainCompaction(compaction, units.fresh(compaction.stage())));
    }
    Map<String, byte[]> accumulatorValues = new LinkedHashMap<>();
    for (Accumulator<?> accumulator : accumulators) {
      if (accumulator.isCheckpointed()) {
        accumulatorValues.put(accumulator.name(), accumulator.encodeCommitted());
      }
    }
    GraphCheckpoint graph =
        new GraphCheckpoint(
            parallelism,
            units.describe(),
            watermarksByName,
            positions,
            chains.snapshot(),
            accumulatorValues);
    return new Pending(
        batchId, batchTime, graph, captures, compactions, clock.millis() - started);
  }

  private static GraphCheckpoint readGraph(Checkpoint checkpoint) throws IOException {
    String path = checkpoint.metadata().get(GRAPH_FILE);
    if (path == null) {
      throw new CheckpointException(
          "Checkpoint of batch " + checkpoint.batchId() + " names no graph file in its manifest");
    }
    return GraphCheckpointCodec.decode(checkpoint.read(refOf(checkpoint, path)));
  }

  private static DataFileRef refOf(Checkpoint checkpoint, String path) throws CheckpointException {
    for (DataFileRef ref : checkpoint.files()) {
      if (ref.path().equals(path)) {
        return ref;
      }
    }
    throw new CheckpointException(
        "Checkpoint of batch " + checkpoint.batchId() + " references " + path + " but does not list it");
  }

  /**
   * Loads the units named in {@code restorable} from {@code checkpoint}: stage states into fresh
   * ones, input positions, accumulators; the chains continue from the checkpoint's.
   */
  private Map<Integer, Long> load(
      Checkpoint checkpoint, GraphCheckpoint saved, Set<String> restorable) throws IOException {
    Map<String, Long> savedWatermarks = saved.watermarks();
    chains.clear();
    files.forget();
    for (Map.Entry<String, DStream<?>> unit : units.byName().entrySet()) {
      String unitName = unit.getKey();
      if (!restorable.contains(unitName)) {
        continue;
      }
      if (unit.getValue() instanceof InputDStream<?> input) {
        byte[] position = saved.inputPositions().get(unitName);
        if (position != null) {
          input.loadPosition(position);
        }
        continue;
      }
      List<List<String>> stageChains = saved.stateChains().get(unitName);
      if (stageChains == null) {
        continue;
      }
      for (int p = 0; p < stageChains.size(); p++) {
        CheckpointedState state = units.reset(unitName, p);
        List<DataFileRef> refs = new ArrayList<>();
        for (String path : stageChains.get(p)) {
          DataFileRef ref = refOf(checkpoint, path);
          files.known(ref);
          refs.add(ref);
        }
        try {
          List<byte[]> chain = new ArrayList<>();
          for (DataFileRef ref : refs) {
            chain.add(checkpoint.read(ref));
          }
          state.applyChain(chain);
        } catch (IOException | RuntimeException e) {
          throw new CheckpointException(
              "Cannot restore stateful transform '" + unitName + "' partition " + p + " from "
                  + stageChains.get(p) + ": " + e.getMessage(),
              e);
        }
      }
      chains.restored(unitName, stageChains);
    }
    for (Accumulator<?> accumulator : accumulators) {
      byte[] value = saved.accumulators().get(accumulator.name());
      if (value != null && accumulator.isCheckpointed()) {
        accumulator.restoreCommitted(value);
      }
    }
    // Every stream's committed watermark, by its key; a unit's only if the unit is restored.
    Map<Integer, Long> watermarks = new HashMap<>();
    savedWatermarks.forEach(
        (key, watermark) -> {
          Integer id = units.streamIdOf(key);
          if (id == null) {
            return;
          }
          String unit = units.nameOf(id);
          if (unit == null || restorable.contains(unit)) {
            watermarks.put(id, watermark);
          }
        });
    return watermarks;
  }

  private void checkAccumulators() {
    for (Accumulator<?> accumulator : accumulators) {
      if (!accumulator.isCheckpointed()) {
        LOG.warn(
            "{}: accumulator {} has no codec; its committed value is not checkpointed",
            name,
            accumulator.name());
      }
    }
  }
}
