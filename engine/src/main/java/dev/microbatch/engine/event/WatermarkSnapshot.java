package dev.microbatch.engine.event;

import java.util.HashMap;
import java.util.Map;

/**
 * The committed output watermark of every stream that has one, by stream id: an immutable value
 * handed to each batch, which may only move the watermarks forward from here.
 */
public record WatermarkSnapshot(Map<Integer, Long> outputs) {
  public static final WatermarkSnapshot EMPTY = new WatermarkSnapshot(Map.of());

  public WatermarkSnapshot {
    outputs = Map.copyOf(outputs);
  }

  /** The committed output watermark of stream {@code streamId}, or {@link Watermarks#MIN}. */
  public long output(int streamId) {
    return outputs.getOrDefault(streamId, Watermarks.MIN);
  }

  /** This snapshot moved forward by {@code updates}; a watermark never moves back. */
  public WatermarkSnapshot advancedBy(Map<Integer, Long> updates) {
    HashMap<Integer, Long> merged = new HashMap<>(outputs);
    updates.forEach((id, watermark) -> merged.merge(id, watermark, Math::max));
    return new WatermarkSnapshot(merged);
  }
}
