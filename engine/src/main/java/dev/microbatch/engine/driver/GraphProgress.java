package dev.microbatch.engine.driver;

import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.StreamGraph;
import dev.microbatch.engine.event.WatermarkSnapshot;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.exec.BatchResult;

/**
 * What the driver asks of a graph's inputs and watermarks to decide whether to run the next batch
 * now, at the next interval, or not at all.
 */
final class GraphProgress {
  private final StreamGraph graph;

  GraphProgress(StreamGraph graph) {
    this.graph = graph;
  }

  /** Every input has nothing more to read. */
  boolean allInputsExhausted() {
    for (InputDStream<?> input : graph.inputs()) {
      if (!input.isExhausted()) {
        return false;
      }
    }
    return true;
  }

  /** Some input has data to read now. */
  boolean anyInputReady() {
    for (InputDStream<?> input : graph.inputs()) {
      if (input.hasReadyData()) {
        return true;
      }
    }
    return false;
  }

  /** Whether every stream that has a watermark has reached +infinity: nothing is left to do. */
  boolean allWatermarksFinal(WatermarkSnapshot watermarks) {
    for (long watermark : watermarks.outputs().values()) {
      if (watermark != Watermarks.MAX) {
        return false;
      }
    }
    return allInputWatermarksFinal(watermarks);
  }

  boolean allInputWatermarksFinal(WatermarkSnapshot watermarks) {
    for (InputDStream<?> input : graph.inputs()) {
      if (watermarks.output(input.id()) != Watermarks.MAX) {
        return false;
      }
    }
    return true;
  }

  /** A batch made progress if it moved records or any watermark. */
  static boolean madeProgress(BatchResult result, WatermarkSnapshot before, WatermarkSnapshot after) {
    return result.recordsIn() > 0 || result.recordsOut() > 0 || !before.equals(after);
  }
}
