package dev.microbatch.engine.exec;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.StreamGraph;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.listener.StageInfo;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * What one batch's stages did, for listeners, the UI and failure reports: each stage's and output
 * operation's time and records in the order they ran, the state stateful stages reported, and the
 * operators and inputs fused into each. Batch thread only.
 */
final class StageLog {
  private final StreamGraph graph;
  private final Predicate<DStream<?>> materialized;
  private final List<Timing> timings = new ArrayList<>();
  private final Map<DStream<?>, StageInfo.StageState> states = new IdentityHashMap<>();

  private record Timing(DStream<?> stream, String name, boolean output, long millis, long records) {}

  /** {@code materialized} says which streams the batch computed as stages of their own so far. */
  StageLog(StreamGraph graph, Predicate<DStream<?>> materialized) {
    this.graph = graph;
    this.materialized = materialized;
  }

  void stageRan(DStream<?> stream, long millis, long records) {
    timings.add(new Timing(stream, describe(stream), false, millis, records));
  }

  void outputRan(DStream<?> stream, long millis, long records) {
    timings.add(new Timing(stream, "output <- " + describe(stream), true, millis, records));
  }

  void reportState(DStream<?> stream, StageInfo.StageState state) {
    states.put(stream, state);
  }

  /** The stream and the operators fused into its stage, downstream first, for failure reports. */
  String describe(DStream<?> stream) {
    StringBuilder stage = new StringBuilder();
    for (DStream<?> operator : fusedChain(stream)) {
      stage.append(stage.length() == 0 ? "" : " <- ").append(operator.name());
    }
    return stage.toString();
  }

  /**
   * The stages that ran, with their watermarks, inputs and state; at the batch's end, once every
   * watermark of the batch is known.
   */
  List<StageInfo> stages(ToLongFunction<DStream<?>> watermarks) {
    List<StageInfo> stages = new ArrayList<>(timings.size());
    for (Timing timing : timings) {
      DStream<?> stream = timing.stream();
      long output = watermarks.applyAsLong(stream);
      long input = Watermarks.MAX;
      for (DStream<?> parent : stream.parents()) {
        input = Math.min(input, watermarks.applyAsLong(parent));
      }
      stages.add(
          new StageInfo(
              stream.id(), timing.name(), timing.output(), timing.millis(), timing.records(),
              stream.parents().isEmpty() ? output : input, output, inputsFusedInto(stream),
              timing.output() ? null : states.get(stream)));
    }
    return stages;
  }

  /** The inputs read inside {@code stream}'s stage: at the upstream end of its fused chain. */
  private List<Integer> inputsFusedInto(DStream<?> stream) {
    List<DStream<?>> chain = fusedChain(stream);
    return chain.get(chain.size() - 1) instanceof InputDStream<?> input ? List.of(input.id()) : List.of();
  }

  /**
   * {@code stream} and the operators fused into its stage, downstream first: up through single
   * parents until one that is a stage of its own (an input read inside its consumer's stage is
   * part of the consumer's).
   */
  private List<DStream<?>> fusedChain(DStream<?> stream) {
    List<DStream<?>> chain = new ArrayList<>();
    chain.add(stream);
    DStream<?> current = stream;
    while (current.parents().size() == 1) {
      DStream<?> parent = current.parents().get(0);
      if (materialized.test(parent) || graph.mustMaterialize(parent)) {
        break;
      }
      chain.add(parent);
      current = parent;
    }
    return chain;
  }
}
