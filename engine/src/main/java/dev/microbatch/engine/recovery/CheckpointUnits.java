package dev.microbatch.engine.recovery;

import dev.microbatch.engine.checkpoint.CheckpointedState;
import dev.microbatch.engine.checkpoint.GraphCheckpoint;
import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.StatefulDStream;
import dev.microbatch.engine.dstream.StreamGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a graph a checkpoint saves: every input and every stateful stage, each under a name
 * unique in the graph (its stream's name, with {@code #2}, {@code #3}... for later streams of the
 * same name), so a checkpoint can be matched to a rebuilt graph by name.
 */
final class CheckpointUnits {
  private final Map<String, DStream<?>> byName = new LinkedHashMap<>();
  private final Map<Integer, String> nameById = new HashMap<>();
  private final Map<Integer, String> streamKeyById = new HashMap<>();
  private final Map<String, Integer> idByStreamKey = new HashMap<>();

  CheckpointUnits(StreamGraph graph) {
    Map<String, Integer> seen = new HashMap<>();
    Map<String, Integer> seenStreams = new HashMap<>();
    for (DStream<?> stream : graph.streams()) {
      // Every stream's key, for its committed watermark: name and occurrence among all streams.
      String streamKey = stream.name() + "@" + seenStreams.merge(stream.name(), 1, Integer::sum);
      streamKeyById.put(stream.id(), streamKey);
      idByStreamKey.put(streamKey, stream.id());
      if (stream instanceof InputDStream<?> || stream instanceof StatefulDStream<?, ?, ?>) {
        int occurrence = seen.merge(stream.name(), 1, Integer::sum);
        String name = occurrence == 1 ? stream.name() : stream.name() + "#" + occurrence;
        byName.put(name, stream);
        nameById.put(stream.id(), name);
      }
    }
  }

  Map<String, DStream<?>> byName() {
    return byName;
  }

  /** The key of stream {@code id} under which a checkpoint keeps its committed watermark. */
  String streamKeyOf(int id) {
    return streamKeyById.get(id);
  }

  /** The stream a watermark key names in this graph, or null. */
  Integer streamIdOf(String streamKey) {
    return idByStreamKey.get(streamKey);
  }

  /** The unit name of stream {@code id}, or null if it is neither an input nor stateful. */
  String nameOf(int id) {
    return nameById.get(id);
  }

  /** Every unit as the checkpoint describes it, with its current fingerprint. */
  List<GraphCheckpoint.Unit> describe() {
    List<GraphCheckpoint.Unit> units = new ArrayList<>();
    byName.forEach(
        (name, stream) -> {
          if (stream instanceof InputDStream<?> input) {
            units.add(
                new GraphCheckpoint.Unit(
                    name, GraphCheckpoint.Kind.INPUT, input.checkpointFingerprint()));
          } else {
            units.add(
                new GraphCheckpoint.Unit(
                    name, GraphCheckpoint.Kind.STATE, statesOf(name).get(0).fingerprint()));
          }
        });
    return units;
  }

  /**
   * The checkpointed state of every partition of stage {@code name}.
   *
   * @throws IllegalStateException if the stage keeps state a checkpoint cannot save
   */
  List<CheckpointedState> statesOf(String name) {
    StatefulDStream<?, ?, ?> stage = (StatefulDStream<?, ?, ?>) byName.get(name);
    List<CheckpointedState> states = new ArrayList<>();
    for (Object state : stage.partitionStates()) {
      states.add(checkpointed(name, state));
    }
    return states;
  }

  /** Replaces the state of one partition of stage {@code name} by a fresh one, returned. */
  CheckpointedState reset(String name, int partition) {
    StatefulDStream<?, ?, ?> stage = (StatefulDStream<?, ?, ?>) byName.get(name);
    return checkpointed(name, stage.resetState(partition));
  }

  /** A fresh state of stage {@code name}, in no partition. */
  CheckpointedState fresh(String name) {
    StatefulDStream<?, ?, ?> stage = (StatefulDStream<?, ?, ?>) byName.get(name);
    return checkpointed(name, stage.newState());
  }

  private static CheckpointedState checkpointed(String stage, Object state) {
    if (state instanceof CheckpointedState checkpointed) {
      return checkpointed;
    }
    throw new IllegalStateException(
        "Checkpointing is on, but the stateful stage '" + stage + "' keeps state a checkpoint cannot"
            + " save (" + state.getClass().getName() + " is not a CheckpointedState).");
  }
}
