package dev.microbatch.engine.exec;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.engine.event.Watermarks;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The watermarks of one batch's streams: what stages reported while materializing, and the output
 * watermarks computed from them. Batch thread only, except {@link #computed}, which tasks read
 * once the batch thread computed the value before starting them.
 */
final class StageWatermarks {
  private final Map<DStream<?>, Long> reported = new IdentityHashMap<>();
  private final Map<DStream<?>, Long> output = new IdentityHashMap<>();

  /** The output watermark computed for {@code stream}; null if not yet. */
  Long output(DStream<?> stream) {
    return output.get(stream);
  }

  void putOutput(DStream<?> stream, long watermark) {
    output.put(stream, watermark);
  }

  /** What {@code stream} reported while materializing; null if nothing. */
  Long reported(DStream<?> stream) {
    return reported.get(stream);
  }

  void report(DStream<?> stream, long watermark) {
    reported.put(stream, watermark);
  }

  /** The streams that reported a watermark, copied. */
  List<DStream<?>> reporters() {
    return List.copyOf(reported.keySet());
  }

  /** The output watermark of a stream already computed in batch {@code batchId}, for tasks. */
  long computed(DStream<?> stream, long batchId) {
    Long watermark = output.get(stream);
    if (watermark == null) {
      throw new IllegalStateException(
          "Internal error: the watermark of "
              + stream
              + " is read by a task but was not computed in batch "
              + batchId
              + "; declare the stream in dependencies().");
    }
    return watermark;
  }

  /** The best watermark known of {@code stream}, for reports: computed, else reported, else MIN. */
  long known(DStream<?> stream) {
    Long watermark = output.get(stream);
    if (watermark == null) {
      watermark = reported.get(stream);
    }
    return watermark == null ? Watermarks.MIN : watermark;
  }

  /** The computed output watermarks by stream id. */
  Map<Integer, Long> outputById() {
    Map<Integer, Long> byId = new HashMap<>();
    output.forEach((stream, watermark) -> byId.put(stream.id(), watermark));
    return byId;
  }
}
