package dev.microbatch.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.microbatch.engine.listener.StageInfo;
import dev.microbatch.engine.time.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The JSON API under {@code /api/v1/}, with the paths and field names of Spark's streaming REST API
 * ({@code applications}, {@code applications/<id>/streaming/statistics}, {@code receivers}, {@code
 * receivers/<streamId>}, {@code batches}, {@code batches/<batchId>}, {@code
 * batches/<batchId>/operations}, {@code operations/<outputOpId>}), so tools that read Spark's can
 * read ours. As in Spark, a batch's {@code
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
        if (status == null || batch.status().name().equalsIgnoreCase(status)) {
          if (matched >= offset && batches.size() < length) {
            batches.add(BatchJson.batch(batch, now.job().batchIntervalMillis()));
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
    if (rest.size() == 2 && rest.get(0).equals("streaming") && rest.get(1).equals("receivers")) {
      List<Map<String, Object>> receivers = new ArrayList<>();
      List<BatchRecord> window = timelineWindow(now, TIMELINE_POINTS);
      for (InputStreams.Rates rates : InputStreams.of(window, now.job().batchIntervalMillis())) {
        receivers.add(InputStreams.receiver(rates, window));
      }
      return ok(receivers);
    }
    if (rest.size() == 3 && rest.get(0).equals("streaming") && rest.get(1).equals("receivers")) {
      List<BatchRecord> window = timelineWindow(now, TIMELINE_POINTS);
      for (InputStreams.Rates rates : InputStreams.of(window, now.job().batchIntervalMillis())) {
        if (String.valueOf(rates.streamId()).equals(rest.get(2))) {
          return ok(InputStreams.receiver(rates, window));
        }
      }
      return notFound("No input stream with id " + rest.get(2) + " in the retained batches");
    }
    if (rest.size() >= 3 && rest.size() <= 5 && rest.get(0).equals("streaming") && rest.get(1).equals("batches")) {
      return batchPath(now, rest.subList(2, rest.size()));
    }
    return notFound("No such API path: " + path);
  }

  /** {@code <batchId>}, {@code <batchId>/operations} or {@code <batchId>/operations/<outputOpId>}. */
  private HttpReply batchPath(StatusStore.StatusSnapshot now, List<String> rest) throws JsonProcessingException {
    long batchTime;
    try {
      batchTime = Long.parseLong(rest.get(0));
    } catch (NumberFormatException e) {
      return notFound("Not a batch id (a batch time in milliseconds): " + rest.get(0));
    }
    BatchRecord found = null;
    for (BatchRecord batch : newestFirst(now)) {
      if (batch.batchTime() == batchTime) {
        found = batch;
        break;
      }
    }
    if (found == null) {
      return notFound("No batch with id " + batchTime + " among the active and retained ones");
    }
    if (rest.size() == 1) {
      return ok(BatchJson.batch(found, now.job().batchIntervalMillis()));
    }
    if (!rest.get(1).equals("operations")) {
      return notFound("No such API path under batch " + batchTime + ": " + rest.get(1));
    }
    List<StageInfo> operations = BatchJson.outputOperations(found);
    if (rest.size() == 2) {
      List<Map<String, Object>> all = new ArrayList<>();
      for (int id = 0; id < operations.size(); id++) {
        all.add(BatchJson.operation(id, operations.get(id), found));
      }
      return ok(all);
    }
    int id;
    try {
      id = Integer.parseInt(rest.get(2));
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id < 0 || id >= operations.size()) {
      return notFound("Batch " + batchTime + " has no output operation " + rest.get(2));
    }
    return ok(BatchJson.operation(id, operations.get(id), found));
  }

  private Map<String, Object> application(StatusStore.StatusSnapshot now) {
    Map<String, Object> attempt = new LinkedHashMap<>();
    attempt.put("startTime", BatchJson.date(now.job().startedAt()));
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
    stats.put("startTime", BatchJson.date(now.job().startedAt()));
    stats.put("batchDuration", now.job().batchIntervalMillis());
    stats.put("numTotalCompletedBatches", now.completedBatches());
    stats.put("numRetainedCompletedBatches", now.finished().size());
    stats.put("numActiveBatches", now.active().size());
    stats.put("numFailedBatches", now.failedBatches());
    stats.put("numFailedAttempts", now.failedAttempts());
    BatchRecord last = now.lastCompleted();
    int inputs = last == null ? 0 : last.inputs().size();
    stats.put("numReceivers", inputs);
    stats.put("numActiveReceivers", inputs);
    stats.put("numInactiveReceivers", 0);
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
    // Backpressure: the most records an input partition may read per batch (null: no limit).
    stats.put("recordLimitPerPartition", last == null ? null : BatchJson.rateLimit(last));
    return stats;
  }

  /**
   * The newest {@code last} finished batches as columns, oldest first, for the page's charts (ours): batch
   * time, sequence, records in, input rate (records per second of batch interval), scheduling
   * delay, processing time and total delay in milliseconds (null where a batch failed).
   */
  private Map<String, Object> timeline(StatusStore.StatusSnapshot now, int last) {
    List<BatchRecord> finished = timelineWindow(now, last);
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
    List<Map<String, Object>> bySource = new ArrayList<>();
    for (InputStreams.Rates source : InputStreams.of(finished, now.job().batchIntervalMillis())) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("streamId", source.streamId());
      one.put("name", source.name());
      one.put("inputRate", source.rates());
      bySource.add(one);
    }
    columns.put("inputRateBySource", bySource);
    return columns;
  }

  /** The newest {@code last} finished batches, oldest first. */
  private static List<BatchRecord> timelineWindow(StatusStore.StatusSnapshot now, int last) {
    return now.finished().subList(Math.max(0, now.finished().size() - last), now.finished().size());
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
      one.put("completedAt", BatchJson.date(c.completedAt()));
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
    List<Map<String, Object>> stages = last == null ? new ArrayList<>() : BatchJson.stages(last);
    for (Map<String, Object> stage : stages) {
      // Backpressure acts on the inputs: a stage that reads one is slowed by the rate limit.
      boolean readsInput = !((List<?>) stage.get("inputStreamIds")).isEmpty();
      Long limit = last == null || !readsInput ? null : BatchJson.rateLimit(last);
      stage.put("rateLimit", limit);
      stage.put("backpressured", limit != null);
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
