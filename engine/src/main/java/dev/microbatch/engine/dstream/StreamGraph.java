package dev.microbatch.engine.dstream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The streams, inputs and output operations of one context. Built before the context starts, then
 * frozen: freezing decides which streams are materialized once per batch.
 */
public final class StreamGraph {
  private final List<DStream<?>> streams = new ArrayList<>();
  private final List<InputDStream<?>> inputs = new ArrayList<>();
  private final List<OutputOperation<?>> outputs = new ArrayList<>();
  private final Map<DStream<?>, Integer> consumers = new IdentityHashMap<>();
  private final Set<DStream<?>> dependencyTargets =
      Collections.newSetFromMap(new IdentityHashMap<>());
  // Shared passes (see SharedPass) by shared stream, by write and by union; set when frozen.
  private volatile Map<DStream<?>, SharedPass> passesByShared = Map.of();
  private volatile Map<DStream<?>, SharedPass> passesByEnd = Map.of();
  private List<DStream<?>> stagesInWaves = List.of();
  private StageReads stageReads;
  private volatile boolean frozen;
  private volatile boolean drainBatchOnStop;

  synchronized int register(DStream<?> stream) {
    checkNotFrozen();
    streams.add(stream);
    return streams.size();
  }

  synchronized void addInput(InputDStream<?> input) {
    checkNotFrozen();
    inputs.add(input);
  }

  synchronized void addOutput(OutputOperation<?> output) {
    checkNotFrozen();
    outputs.add(output);
  }

  /**
   * Asks for one more batch on a graceful stop with checkpoints, after the last batch is durable:
   * for stages that hold a batch's input until it is stable, so that they hand on what they hold
   * before the run ends.
   */
  public void requireDrainBatchOnStop() {
    checkNotFrozen();
    drainBatchOnStop = true;
  }

  public boolean drainsOnStop() {
    return drainBatchOnStop;
  }

  /** Fixes the graph; called when the context starts. */
  public synchronized void freeze() {
    if (frozen) {
      return;
    }
    for (DStream<?> stream : streams) {
      for (DStream<?> parent : stream.parents()) {
        consumers.merge(parent, 1, Integer::sum);
      }
      dependencyTargets.addAll(stream.dependencies());
    }
    for (OutputOperation<?> output : outputs) {
      consumers.merge(output.stream(), 1, Integer::sum);
    }
    Map<DStream<?>, SharedPass> byShared = new IdentityHashMap<>();
    Map<DStream<?>, SharedPass> byEnd = new IdentityHashMap<>();
    for (SharedPass pass : SharedPass.of(streams, consumers, dependencyTargets)) {
      byShared.put(pass.shared(), pass);
      pass.writes().forEach(write -> byEnd.put(write, pass));
      if (pass.union() != null) {
        byEnd.put(pass.union(), pass);
      }
    }
    passesByShared = byShared;
    passesByEnd = byEnd;
    stagesInWaves = StageWaves.of(outputs, this::mustMaterialize);
    stageReads = new StageReads(streams, outputs, this::mustMaterialize);
    frozen = true;
  }

  /**
   * The materialized streams upstream of the output operations, in the order a batch runs them
   * (see {@link StageWaves}); empty until the graph is frozen.
   */
  public synchronized List<DStream<?>> stagesInWaves() {
    return stagesInWaves;
  }

  /** The materialized streams {@code stage}'s tasks read; frozen graphs only. */
  public synchronized Set<DStream<?>> readBy(DStream<?> stage) {
    return stageReads.readBy(stage);
  }

  /** The materialized streams {@code output}'s tasks read; frozen graphs only. */
  public synchronized Set<DStream<?>> readBy(OutputOperation<?> output) {
    return stageReads.readBy(output);
  }

  /** How many stages and output operations read {@code stream}'s batch; frozen graphs only. */
  public synchronized int readers(DStream<?> stream) {
    return stageReads.readers(stream);
  }

  /** The shared pass {@code stream} is a write or the union of; null if none. */
  SharedPass sharedPassEndingIn(DStream<?> stream) {
    return passesByEnd.get(stream);
  }

  /** The stream {@code union}'s parents all read in one pass (see SharedPass); null if none. */
  DStream<?> sharedByUnion(DStream<?> union) {
    SharedPass pass = passesByEnd.get(union);
    return pass == null ? null : pass.shared();
  }

  /** Whether a batch of {@code stream} is computed once as a whole rather than lazily. */
  public boolean mustMaterialize(DStream<?> stream) {
    if (passesByShared.containsKey(stream)) {
      // Computed once per task for its readers, in the stage of their shuffle writes or union.
      return false;
    }
    boolean sharedOrKept =
        stream.isCached()
            || dependencyTargets.contains(stream)
            || consumers.getOrDefault(stream, 0) > 1;
    if (stream instanceof InputDStream<?> input && input.isReadInConsumerStage()) {
      // Read record by record inside its only consumer's stage; see InputDStream#open.
      return sharedOrKept;
    }
    return stream.isStageBoundaryNode() || sharedOrKept;
  }

  /** Every stream, in the order they were created. */
  public synchronized List<DStream<?>> streams() {
    return List.copyOf(streams);
  }

  public synchronized List<InputDStream<?>> inputs() {
    return List.copyOf(inputs);
  }

  public synchronized List<OutputOperation<?>> outputs() {
    return List.copyOf(outputs);
  }

  public synchronized int size() {
    return streams.size();
  }

  private void checkNotFrozen() {
    if (frozen) {
      throw new IllegalStateException(
          "The stream graph cannot change once its context has started: "
              + "add streams and output operations before start().");
    }
  }
}
