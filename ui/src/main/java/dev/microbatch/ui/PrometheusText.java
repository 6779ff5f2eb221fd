package dev.microbatch.ui;

import dev.microbatch.engine.listener.StageInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The pipeline's metrics in Prometheus' text exposition format (version 0.0.4), built from one
 * {@link StatusStore.StatusSnapshot} per scrape: no registry, nothing static. Every sample has the
 * label {@code pipeline}. Names: {@code microbatch_batches_completed_total}, {@code
 * microbatch_batches_failed_total}, {@code microbatch_batch_attempts_failed_total}, {@code
 * microbatch_records_in_total}, {@code microbatch_records_out_total}, {@code
 * microbatch_batches_active}, {@code microbatch_last_batch_processing_seconds}, {@code
 * microbatch_last_batch_scheduling_delay_seconds}, {@code microbatch_last_batch_total_delay_seconds},
 * {@code microbatch_input_rate_records_per_second}, {@code microbatch_batch_interval_seconds},
 * {@code microbatch_uptime_seconds}, {@code microbatch_rate_limit_records_per_partition}, {@code
 * microbatch_late_records_dropped_total} (label {@code step}), per input (label {@code input}) {@code
 * microbatch_input_last_batch_records}, and per stage (label {@code stage}) {@code
 * microbatch_stage_last_batch_seconds}, {@code _records}, {@code _watermark_lag_seconds}, {@code
 * _input_watermark_lag_seconds}, and for stateful stages {@code _watermark_hold_lag_seconds}, {@code
 * _state_keys}, {@code _state_bytes}, {@code _timers_fired}.
 */
final class PrometheusText {
  // Beam's names for records dropped as late: its GroupAlsoByWindow and its stateful ParDo runner.
  private static final Set<String> LATE_DROP_COUNTERS = Set.of("droppedDueToLateness", "StatefulParDoDropped");
  private final StringBuilder out = new StringBuilder(2048);
  private final String labels;

  private final String pipeline;

  private PrometheusText(String pipeline) {
    this.pipeline = pipeline;
    this.labels = "{pipeline=\"" + labelValue(pipeline) + "\"}";
  }

  static HttpReply of(StatusStore.StatusSnapshot now, List<UserMetric> userMetrics) {
    PrometheusText text = new PrometheusText(now.job().name());
    text.userMetrics(userMetrics);
    text.metric("microbatch_batches_completed_total", "counter", "Batches that committed.", now.completedBatches());
    text.metric("microbatch_batches_failed_total", "counter", "Batches that failed for good.", now.failedBatches());
    text.metric(
        "microbatch_batch_attempts_failed_total", "counter",
        "Batch attempts that failed, retried ones included.", now.failedAttempts());
    text.metric("microbatch_records_in_total", "counter", "Records read by committed batches.", now.recordsIn());
    text.metric(
        "microbatch_records_out_total", "counter", "Records consumed by outputs of committed batches.",
        now.recordsOut());
    text.metric("microbatch_batches_active", "gauge", "Batches queued or running.", now.active().size());
    BatchRecord last = now.lastCompleted();
    if (last != null) {
      text.metric(
          "microbatch_last_batch_processing_seconds", "gauge", "Processing time of the last completed batch.",
          last.processingTime() / 1000.0);
      text.metric(
          "microbatch_last_batch_scheduling_delay_seconds", "gauge",
          "Time the last completed batch waited to start.", last.schedulingDelay() / 1000.0);
      text.metric(
          "microbatch_last_batch_total_delay_seconds", "gauge",
          "Time from the last completed batch's submission to its end.", last.totalDelay() / 1000.0);
    }
    if (last != null && last.recordLimitPerPartition() >= 0 && last.recordLimitPerPartition() != Long.MAX_VALUE) {
      text.metric(
          "microbatch_rate_limit_records_per_partition", "gauge",
          "The most records an input partition may read per batch (backpressure); absent when unlimited.",
          last.recordLimitPerPartition());
    }
    Double rate = now.averageInputRate();
    if (rate != null) {
      text.metric(
          "microbatch_input_rate_records_per_second", "gauge",
          "Records read per second of batch interval, over the retained batches.", rate);
    }
    StatusStore.Checkpoints checkpoints = now.checkpoints();
    text.metric(
        "microbatch_checkpoints_completed_total", "counter", "Checkpoints that became durable.",
        checkpoints.completed());
    text.metric("microbatch_checkpoints_failed_total", "counter", "Checkpoints that failed.", checkpoints.failed());
    if (!checkpoints.recent().isEmpty()) {
      var latest = checkpoints.recent().get(checkpoints.recent().size() - 1);
      text.metric(
          "microbatch_last_checkpoint_duration_seconds", "gauge", "Time the last durable checkpoint took to write.",
          latest.writeMillis() / 1000.0);
      text.metric("microbatch_last_checkpoint_bytes", "gauge", "Bytes the last durable checkpoint wrote.", latest.bytes());
      text.metric("microbatch_last_checkpoint_batch", "gauge", "The batch the last durable checkpoint holds.", latest.batchId());
    }
    if (last != null) {
      text.stages(last);
      text.inputs(last);
    }
    text.lateRecordsDropped(userMetrics);
    text.metric(
        "microbatch_batch_interval_seconds", "gauge", "The batch interval.", now.job().batchIntervalMillis() / 1000.0);
    text.metric(
        "microbatch_uptime_seconds", "gauge", "Time since the pipeline started.",
        (now.now() - now.job().startedAt()) / 1000.0);
    return new HttpReply(200, HttpReply.PROMETHEUS, text.out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Per stage of the last completed batch: time, watermark lags and what stateful stages hold. */
  private void stages(BatchRecord last) {
    perStage(last, "microbatch_stage_last_batch_seconds", "Time each stage took in the last completed batch.",
        stage -> stage.millis() / 1000.0);
    perStage(last, "microbatch_stage_records", "Records each stage produced in the last completed batch.",
        stage -> (double) stage.records());
    perStage(last, "microbatch_stage_watermark_lag_seconds",
        "How far each stage's output watermark is behind the last completed batch's time.",
        stage -> seconds(Watermark.lagMillis(last.batchTime(), stage.outputWatermark())));
    perStage(last, "microbatch_stage_input_watermark_lag_seconds",
        "How far each stage's input watermark is behind the last completed batch's time.",
        stage -> seconds(Watermark.lagMillis(last.batchTime(), stage.inputWatermark())));
    perStage(last, "microbatch_stage_watermark_hold_lag_seconds",
        "How far a stateful stage's watermark hold is behind the last completed batch's time.",
        stage -> stage.state() == null ? null : seconds(Watermark.lagMillis(last.batchTime(), stage.state().hold())));
    perStage(last, "microbatch_stage_state_keys", "Keys with state in a stateful stage.",
        stage -> stage.state() == null ? null : (double) stage.state().keys());
    perStage(last, "microbatch_stage_state_bytes", "Encoded bytes of a stateful stage's state.",
        stage -> stage.state() == null ? null : (double) stage.state().bytes());
    perStage(last, "microbatch_stage_timers_fired", "Timers a stateful stage fired in the last completed batch.",
        stage -> stage.state() == null ? null : (double) stage.state().timersFired());
  }

  private void perStage(BatchRecord last, String name, String help, Function<StageInfo, Double> value) {
    boolean any = false;
    for (StageInfo stage : last.stages()) {
      Double v = value.apply(stage);
      if (v == null) {
        continue;
      }
      if (!any) {
        header(name, "gauge", help);
        any = true;
      }
      sample(name, "stage", stage.name(), v);
    }
  }

  /** Per input of the last completed batch: the records it read. */
  private void inputs(BatchRecord last) {
    if (last.inputs().isEmpty()) {
      return;
    }
    header("microbatch_input_last_batch_records", "gauge", "Records each input read in the last completed batch.");
    for (InputRecord input : last.inputs()) {
      sample("microbatch_input_last_batch_records", "input", input.name(), input.records());
    }
  }

  /**
   * Beam's counters of records dropped as too late (the names Beam's runners use), summed per
   * step: {@code microbatch_late_records_dropped_total}.
   */
  private void lateRecordsDropped(List<UserMetric> metrics) {
    Map<String, Long> byStep = new TreeMap<>();
    for (UserMetric metric : metrics) {
      if (metric.kind().equals("counter") && LATE_DROP_COUNTERS.contains(metric.name())) {
        byStep.merge(metric.step(), metric.committed().getOrDefault("value", 0L), Long::sum);
      }
    }
    header("microbatch_late_records_dropped_total", "counter", "Records dropped because their window had expired.");
    if (byStep.isEmpty()) {
      out.append("microbatch_late_records_dropped_total").append(labels).append(" 0\n");
    }
    byStep.forEach((step, dropped) -> sample("microbatch_late_records_dropped_total", "step", step, dropped));
  }

  private static Double seconds(Long millis) {
    return millis == null ? null : millis / 1000.0;
  }

  private void metric(String name, String type, String help, double value) {
    header(name, type, help);
    out.append(name).append(labels).append(' ').append(number(value)).append('\n');
  }

  /**
   * The pipeline's own metrics, committed values, labelled with step, namespace and name: {@code
   * microbatch_user_counter}, {@code microbatch_user_gauge}, {@code
   * microbatch_user_distribution_count}, {@code _sum}, {@code _min}, {@code _max}.
   */
  private void userMetrics(List<UserMetric> metrics) {
    Map<String, StringBuilder> families = new TreeMap<>();
    for (UserMetric metric : metrics) {
      String labels =
          "{pipeline=\"" + labelValue(pipeline) + "\",step=\"" + labelValue(metric.step()) + "\",namespace=\""
              + labelValue(metric.namespace()) + "\",name=\"" + labelValue(metric.name()) + "\"}";
      for (Map.Entry<String, Long> value : metric.committed().entrySet()) {
        String family =
            metric.kind().equals("distribution")
                ? "microbatch_user_distribution_" + value.getKey()
                : "microbatch_user_" + metric.kind();
        families.computeIfAbsent(family, f -> new StringBuilder())
            .append(family).append(labels).append(' ').append(value.getValue()).append('\n');
      }
    }
    for (Map.Entry<String, StringBuilder> family : families.entrySet()) {
      String type = family.getKey().equals("microbatch_user_counter") ? "counter" : "gauge";
      header(family.getKey(), type, "A metric of the pipeline's own code (committed), by step.");
      out.append(family.getValue());
    }
  }

  private void header(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, String label, String labelValue, double value) {
    out.append(name).append("{pipeline=\"").append(labelValue(pipeline)).append("\",").append(label).append("=\"")
        .append(labelValue(labelValue)).append("\"} ").append(number(value)).append('\n');
  }

  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.6f", value);
  }

  private static String labelValue(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
