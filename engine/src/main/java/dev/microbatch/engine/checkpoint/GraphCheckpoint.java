package dev.microbatch.engine.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint holds about the whole graph, beside the state files it references: one data
 * file per checkpoint, written last, named in the manifest's metadata as {@code graph}.
 *
 * @param parallelism the partitions of every stage (keys are placed by it)
 * @param units every input and stateful stage by its unique name, with its kind and fingerprint
 * @param watermarks the committed output watermark of every stream that has one, by stream key
 *     ({@code <stream name>@<occurrence of that name among all streams>})
 * @param inputPositions each input's committed position, in the input's own encoding
 * @param stateChains each stateful stage's files per partition: the last whole capture, then the
 *     changes since, oldest first (paths relative to the checkpoint directory)
 * @param accumulators each checkpointed accumulator's committed value, by name
 */
public record GraphCheckpoint(
    int parallelism,
    List<Unit> units,
    Map<String, Long> watermarks,
    Map<String, byte[]> inputPositions,
    Map<String, List<List<String>>> stateChains,
    Map<String, byte[]> accumulators) {

  /** An input or a stateful stage, as a checkpoint knows it. */
  public record Unit(String name, Kind kind, String fingerprint) {}

  public enum Kind {
    INPUT,
    STATE
  }

  public GraphCheckpoint {
    units = List.copyOf(units);
    watermarks = new LinkedHashMap<>(watermarks);
    inputPositions = new LinkedHashMap<>(inputPositions);
    stateChains = new LinkedHashMap<>(stateChains);
    accumulators = new LinkedHashMap<>(accumulators);
  }
}
