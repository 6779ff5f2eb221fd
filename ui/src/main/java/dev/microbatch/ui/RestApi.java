package dev.microbatch.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.microbatch.engine.time.Clock;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Supplier;

/**
 * The JSON API under {@code /api/v1/}, with the paths and field names of Spark's streaming REST API
 * ({@code applications}, {@code applications/<id>/streaming/statistics}, {@code batches}, {@code
 * batches/<batchId>}), so tools that read Spark's can read ours. As in Spark, a batch's {@code
 * batchId} is its batch time in milliseconds; {@code sequence} is the engine's batch number. Dates
 * are written as Spark writes them ({@code 2026-12-02T23:30:00.000GMT}).
 */
final class RestApi {
  private static final String PREFIX = "/api/v1/";
  // The page's charts show the newest 1,000 batches however many are retained.
  static final int TIMELINE_POINTS = 1_000;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final StatusStore store;
  private final Clock clock;
  private final Supplier<List<UserMetric>> userMetrics;

  RestApi(StatusStore store, Clock clock, Supplier<List<UserMetric>> userMetrics) {
    this.store = store;
    this.clock = clock;
    this.userMetrics = userMetrics;
  }

  static boolean handles(String path) {
    return path.startsWith(PREFIX) || path.equals("/api/v1");
  }

  /** The reply to a GET of {@code path} with {@code query} (may be null). */
  HttpReply get(String path, String query) throws JsonProcessingException {
    StatusStore.StatusSnapshot now = store.snapshot(clock.millis());
    List<String> parts = new ArrayList<>(List.of(path.substring(Math.min(path.length(), PREFIX.length())).split("/")));
    parts.removeIf(String::isEmpty);
    if (parts.size() == 1 && parts.get(0).equals("applications")) {
      return ok(List.of(application(now)));
    }
    if (parts.size() < 2 || !parts.get(0).equals("applications")) {
      return notFound("No such API path: " + path);
    }
    if (!parts.get(1).equals(now.job().id())) {
      return notFound("No application " + parts.get(1) + "; this one is " + now.job().id());
    }
    if (parts.size() == 2) {
      return ok(application(now));
    }
    List<String> rest = parts.subList(2, parts.size());
    if (rest.size() == 2 && rest.get(0).equals("streaming") && rest.get(1).equals("statistics")) {
      return ok(statistics(now));
    }
    if (rest.size() == 2 && rest.get(0).equals("streaming") && rest.get(1).equals("batches")) {
      String status = parameter(query, "status");
      // Paging (ours, Spark has none): offset and length over the newest-first list.
      int offset = Math.max(0, intParameter(query, "offset", 0));
      int length = Math.max(0, intParameter(query, "length", Integer.MAX_VALUE));
      List<Map<String, Object>> batches = new ArrayList<>();
      int matched = 0;
      for (BatchRecord batch : newestFirst(now)) {
        if (status == null || sparkStatus(batch).equalsIgnoreCase(status)) {
          if (matched >= offset && batches.size() < length) {
            batches.add(batch(batch, now));
          }
          matched++;
        }
      }
      return ok(batches);
    }
    if (rest.size() == 2 && rest.get(0).equals("streaming") && rest.get(1).equals("timeline")) {
      int last = intParameter(query, "last", TIMELINE_POINTS);
      return ok(timeline(now, Math.max(1, Math.min(last, now.finished().size()))));
    }
    if (rest.size() == 1 && rest.get(0).equals("metrics")) {
      // The pipeline's own metrics by step (ours; Beam's runners on Flink show them as one blob).
      return ok(userMetrics.get());
    }
    if (rest.size() == 1 && rest.get(0).equals("stages")) {
      return ok(stagesOverview(now));
    }
    if (rest.size() == 1 && rest.get(0).equals("checkpoints")) {
      return ok(checkpoints(now));
    }
    if (rest.size() == 1 && rest.get(0).equals("environment")) {
      return ok(Map.of("pipelineOptions", new java.util.TreeMap<>(now.job().options())));
    }
    if (rest.size() == 3 && rest.get(0).equals("streaming") && rest.get(1).equals("batches")) {
      long batchTime;
      try {
        batchTime = Long.parseLong(rest.get(2));
      } catch (NumberFormatException e) {
        return notFound("Not a batch id (a batch time in milliseconds): " + rest.get(2));
      }
      for (BatchRecord batch : newestFirst(now)) {
        if (batch.batchTime() == batchTime) {
          return ok(batch(batch, now));
        }
      }
      return notFound("No batch with id " + batchTime + " among the active and retained ones");
    }
    return notFound("No such API path: " + path);
  }

  private Map<String, Object> application(StatusStore.StatusSnapshot now) {
    Map<String, Object> attempt = new LinkedHashMap<>();
    attempt.put("startTime", date(now.job().startedAt()));
    attempt.put("duration", now.now() - now.job().startedAt());
    attempt.put("completed", false);
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("id", now.job().id());
    app.put("name", now.job().name());
    app.put("mode", now.job().mode());
    app.put("attempts", List.of(attempt));
    return app;
  }

  private Map<String, Object> statistics(StatusStore.StatusSnapshot now) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("startTime", date(now.job().startedAt()));
    stats.put("batchDuration", now.job().batchIntervalMillis());
    stats.put("numTotalCompletedBatches", now.completedBatches());
    stats.put("numRetainedCompletedBatches", now.finished().size());
    stats.put("numActiveBatches", now.active().size());
    stats.put("numFailedBatches", now.failedBatches());
    stats.put("numFailedAttempts", now.failedAttempts());
    stats.put("numProcessedRecords", now.recordsIn());
    stats.put("numReceivedRecords", now.recordsIn());
    stats.put("numOutputRecords", now.recordsOut());
    stats.put("avgInputRate", now.averageInputRate());
    stats.put("avgSchedulingDelay", now.averageOverCompleted(BatchRecord::schedulingDelay));
    stats.put("avgProcessingTime", now.averageOverCompleted(BatchRecord::processingTime));
    stats.put("avgTotalDelay", now.averageOverCompleted(BatchRecord::totalDelay));
    stats.put("parallelism", now.job().parallelism());
    stats.put("name", now.job().name());
    stats.put("mode", now.job().mode());
    stats.put("uptime", now.now() - now.job().startedAt());
    BatchRecord last = now.lastCompleted();
    // Backpressure: the most records an input partition may read per batch (null: no limit).
    stats.put(
        "recordLimitPerPartition",
        last == null || last.recordLimitPerPartition() < 0 || last.recordLimitPerPartition() == Long.MAX_VALUE
            ? null
            : last.recordLimitPerPartition());
    return stats;
  }

  /**
   * The newest {@code last} finished batches as columns, oldest first, for the page's charts (ours): batch
   * time, sequence, records in, input rate (records per second of batch interval), scheduling
   * delay, processing time and total delay in milliseconds (null where a batch failed).
   */
  private Map<String, Object> timeline(StatusStore.StatusSnapshot now, int last) {
    List<BatchRecord> finished = now.finished().subList(Math.max(0, now.finished().size() - last), now.finished().size());
    int n = finished.size();
    long[] times = new long[n];
    long[] sequences = new long[n];
    long[] records = new long[n];
    Double[] rates = new Double[n];
    Long[] scheduling = new Long[n];
    Long[] processing = new Long[n];
    Long[] total = new Long[n];
    double perSecond = 1000.0 / Math.max(1, now.job().batchIntervalMillis());
    for (int i = 0; i < n; i++) {
      BatchRecord batch = finished.get(i);
      times[i] = batch.batchTime();
      sequences[i] = batch.batchId();
      boolean completed = batch.status() == BatchRecord.Status.COMPLETED;
      records[i] = Math.max(0, batch.recordsIn());
      rates[i] = completed ? batch.recordsIn() * perSecond : null;
      scheduling[i] = completed ? batch.schedulingDelay() : null;
      processing[i] = completed ? batch.processingTime() : null;
      total[i] = completed ? batch.totalDelay() : null;
    }
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("batchInterval", now.job().batchIntervalMillis());
    columns.put("batchTime", times);
    columns.put("sequence", sequences);
    columns.put("inputSize", records);
    columns.put("inputRate", rates);
    columns.put("schedulingDelay", scheduling);
    columns.put("processingTime", processing);
    columns.put("totalDelay", total);
    return columns;
  }

  /** Counts, the last failure, the restored batch and the recent checkpoints, newest first (ours). */
  private Map<String, Object> checkpoints(StatusStore.StatusSnapshot now) {
    StatusStore.Checkpoints checkpoints = now.checkpoints();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("numCompleted", checkpoints.completed());
    out.put("numFailed", checkpoints.failed());
    out.put("lastFailure", checkpoints.lastFailure());
    out.put("restoredBatch", checkpoints.restoredBatch() < 0 ? null : checkpoints.restoredBatch());
    List<Map<String, Object>> history = new ArrayList<>();
    for (int i = checkpoints.recent().size() - 1; i >= 0; i--) {
      var c = checkpoints.recent().get(i);
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("batch", c.batchId());
      one.put("batchTime", c.batchTime());
      one.put("completedAt", date(c.completedAt()));
      one.put("stateFiles", c.stateFiles());
      one.put("keys", c.keys());
      one.put("bytes", c.bytes());
      one.put("duration", c.writeMillis());
      one.put("captureDuration", c.captureMillis());
      one.put("compactedChains", c.compactedChains());
      one.put("compactionDuration", c.compactionMillis());
      history.add(one);
    }
    out.put("history", history);
    return out;
  }

  private Map<String, Object> batch(BatchRecord batch, StatusStore.StatusSnapshot now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("batchId", batch.batchTime());
    out.put("sequence", batch.batchId());
    out.put("batchTime", date(batch.batchTime()));
    out.put("status", sparkStatus(batch));
    out.put("batchDuration", now.job().batchIntervalMillis());
    out.put("inputSize", Math.max(0, batch.recordsIn()));
    out.put("outputSize", Math.max(0, batch.recordsOut()));
    out.put("schedulingDelay", nullIfUnknown(batch.schedulingDelay()));
    out.put("processingTime", nullIfUnknown(batch.processingTime()));
    out.put("totalDelay", nullIfUnknown(batch.totalDelay()));
    out.put("attempts", batch.attempts());
    out.put("firstFailureReason", batch.firstFailure());
    out.put("stages", stages(batch));
    out.put("inputs", batch.inputs());
    out.put(
        "recordLimitPerPartition",
        batch.recordLimitPerPartition() < 0 || batch.recordLimitPerPartition() == Long.MAX_VALUE
            ? null
            : batch.recordLimitPerPartition());
    return out;
  }

  /** A batch's stages: time, records, output watermark and its lag behind the batch time (ours). */
  private static List<Map<String, Object>> stages(BatchRecord batch) {
    List<Map<String, Object>> stages = new ArrayList<>();
    for (var stage : batch.stages()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("streamId", stage.streamId());
      one.put("name", stage.name());
      one.put("duration", stage.millis());
      one.put("records", stage.records());
      one.put("outputWatermark", Watermark.text(stage.outputWatermark()));
      one.put("watermarkLag", Watermark.lagMillis(batch.batchTime(), stage.outputWatermark()));
      stages.add(one);
    }
    return stages;
  }

  /**
   * The stages of the last completed batch, each with its average time over the retained batches
   * and that time as a share of the batch interval (busy), for the page's stage table (ours).
   */
  private Map<String, Object> stagesOverview(StatusStore.StatusSnapshot now) {
    BatchRecord last = now.lastCompleted();
    Map<Integer, long[]> totals = new java.util.HashMap<>();
    for (BatchRecord batch : now.finished()) {
      for (var stage : batch.stages()) {
        long[] t = totals.computeIfAbsent(stage.streamId(), id -> new long[2]);
        t[0] += stage.millis();
        t[1]++;
      }
    }
    List<Map<String, Object>> stages = last == null ? new ArrayList<>() : stages(last);
    for (Map<String, Object> stage : stages) {
      long[] t = totals.get((Integer) stage.get("streamId"));
      double average = t == null || t[1] == 0 ? 0 : (double) t[0] / t[1];
      stage.put("averageDuration", average);
      stage.put("busy", average / Math.max(1, now.job().batchIntervalMillis()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("batch", last == null ? null : last.batchTime());
    out.put("stages", stages);
    return out;
  }

  /**
   * Every known batch, newest first (Spark sorts by id, descending): the active ones (newer than
   * any finished one), then the finished ones, which the store keeps oldest first.
   */
  private static List<BatchRecord> newestFirst(StatusStore.StatusSnapshot now) {
    List<BatchRecord> all = new ArrayList<>(now.active().size() + now.finished().size());
    List<BatchRecord> active = new ArrayList<>(now.active());
    active.sort(Comparator.comparingLong(BatchRecord::batchId).reversed());
    all.addAll(active);
    for (int i = now.finished().size() - 1; i >= 0; i--) {
      all.add(now.finished().get(i));
    }
    return all;
  }

  private static String sparkStatus(BatchRecord batch) {
    return batch.status().name();
  }

  private static Long nullIfUnknown(long value) {
    return value < 0 ? null : value;
  }

  private static String parameter(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return pair.substring(eq + 1);
      }
    }
    return null;
  }

  private static int intParameter(String query, String name, int otherwise) {
    String value = parameter(query, name);
    if (value == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static String date(long millis) {
    SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'GMT'");
    format.setTimeZone(TimeZone.getTimeZone("GMT"));
    return format.format(new Date(millis));
  }

  private HttpReply ok(Object body) throws JsonProcessingException {
    return new HttpReply(200, HttpReply.JSON, json.writeValueAsBytes(body));
  }

  static HttpReply notFound(String message) {
    return error(404, message);
  }

  static HttpReply error(int status, String message) {
    String body = "{\"status\": " + status + ", \"error\": \"" + escaped(message) + "\"}";
    return new HttpReply(status, HttpReply.JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code text} as the inside of a JSON string. */
  private static String escaped(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
