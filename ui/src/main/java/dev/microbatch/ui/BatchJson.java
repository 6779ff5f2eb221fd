package dev.microbatch.ui;

import dev.microbatch.engine.listener.StageInfo;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * One batch as JSON: Spark's batch fields and output operations ({@code outputOpId} numbers a
 * batch's output operations in the order they ran, which is the pipeline's, so an id means the same
 * operation in every batch), plus ours: stages, inputs, the rate limit.
 */
final class BatchJson {
  private BatchJson() {}

  static Map<String, Object> batch(BatchRecord batch, long batchInterval) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("batchId", batch.batchTime());
    out.put("sequence", batch.batchId());
    out.put("batchTime", date(batch.batchTime()));
    out.put("status", batch.status().name());
    out.put("batchDuration", batchInterval);
    out.put("inputSize", Math.max(0, batch.recordsIn()));
    out.put("outputSize", Math.max(0, batch.recordsOut()));
    out.put("schedulingDelay", nullIfUnknown(batch.schedulingDelay()));
    out.put("processingTime", nullIfUnknown(batch.processingTime()));
    out.put("totalDelay", nullIfUnknown(batch.totalDelay()));
    int outputs = outputOperations(batch).size();
    boolean completed = batch.status() == BatchRecord.Status.COMPLETED;
    out.put("numActiveOutputOps", batch.status() == BatchRecord.Status.PROCESSING ? 1 : 0);
    out.put("numCompletedOutputOps", completed ? outputs : 0);
    out.put("numFailedOutputOps", batch.status() == BatchRecord.Status.FAILED ? 1 : 0);
    out.put("numTotalOutputOps", outputs);
    out.put("attempts", batch.attempts());
    out.put("firstFailureReason", batch.firstFailure());
    out.put("stages", stages(batch));
    out.put("inputs", batch.inputs());
    out.put("recordLimitPerPartition", rateLimit(batch));
    return out;
  }

  /** The rate limit backpressure set for {@code batch}, null when none. */
  static Long rateLimit(BatchRecord batch) {
    long limit = batch.recordLimitPerPartition();
    return limit < 0 || limit == Long.MAX_VALUE ? null : limit;
  }

  /**
   * A batch's stages: time, records, input and output watermarks, the output watermark's lag
   * behind the batch time, the inputs read inside it and, for a stateful stage, its hold, timers
   * fired, keys and bytes.
   */
  static List<Map<String, Object>> stages(BatchRecord batch) {
    List<Map<String, Object>> stages = new ArrayList<>();
    for (StageInfo stage : batch.stages()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("streamId", stage.streamId());
      one.put("name", stage.name());
      one.put("kind", stage.outputOperation() ? "output" : stage.state() != null ? "stateful" : "stage");
      one.put("duration", stage.millis());
      one.put("records", stage.records());
      one.put("inputWatermark", Watermark.text(stage.inputWatermark()));
      one.put("outputWatermark", Watermark.text(stage.outputWatermark()));
      one.put("watermarkLag", Watermark.lagMillis(batch.batchTime(), stage.outputWatermark()));
      one.put("inputStreamIds", stage.inputIds());
      StageInfo.StageState state = stage.state();
      one.put("watermarkHold", state == null ? null : Watermark.text(state.hold()));
      one.put("timersFired", state == null ? null : state.timersFired());
      one.put("stateKeys", state == null ? null : state.keys());
      one.put("stateBytes", state == null ? null : state.bytes());
      stages.add(one);
    }
    return stages;
  }

  /** The output operations of a batch, in the order they ran. */
  static List<StageInfo> outputOperations(BatchRecord batch) {
    List<StageInfo> outputs = new ArrayList<>();
    for (StageInfo stage : batch.stages()) {
      if (stage.outputOperation()) {
        outputs.add(stage);
      }
    }
    return outputs;
  }

  /**
   * Spark's output operation fields. The engine times an operation but does not keep when it
   * started, so start and end are null (Spark's are optional too); there are no Spark jobs.
   */
  static Map<String, Object> operation(int id, StageInfo stage, BatchRecord batch) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outputOpId", id);
    out.put("name", stage.name());
    out.put("description", stage.name() + " (" + stage.records() + " records)");
    out.put("startTime", null);
    out.put("endTime", null);
    out.put("duration", stage.millis());
    out.put("failureReason", batch.status() == BatchRecord.Status.FAILED ? batch.firstFailure() : null);
    out.put("jobIds", List.of());
    return out;
  }

  static String date(long millis) {
    SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'GMT'");
    format.setTimeZone(TimeZone.getTimeZone("GMT"));
    return format.format(new Date(millis));
  }

  private static Long nullIfUnknown(long value) {
    return value < 0 ? null : value;
  }
}
