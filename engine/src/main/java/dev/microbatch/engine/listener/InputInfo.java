package dev.microbatch.engine.listener;

import java.util.List;

/**
 * What one input read in one batch.
 *
 * @param streamId the input's stream id
 * @param name the input's name (Beam's transform name for the runner's reads)
 * @param records the records it read
 * @param positions per partition, the position it reached (what a checkpoint keeps: offsets,
 *     marks, restrictions), as the input's own immutable values; shown with {@code toString}
 */
public record InputInfo(int streamId, String name, long records, List<Object> positions) {
  public InputInfo {
    positions = List.copyOf(positions);
  }
}
