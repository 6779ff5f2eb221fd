package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming pipeline with its UI on: the REST API and the Prometheus metrics report what the
 * pipeline processed (1,000 records in several batches), both agree with the pipeline's own
 * counter, errors are JSON 404s and 405s, the server listens on loopback and stops with the
 * pipeline.
 */
class UiApiTest {
  private static final long RECORDS = 1_000;
  private final UiClient client = new UiClient();
  private final HttpClient http = client.http;

  @Test
  void restAndPrometheusReportWhatThePipelineProcessed() throws Exception {
    Pipeline pipeline = UiTestPipelines.withUi("ui-api-test", 50);
    pipeline.apply(Read.from(new CountThenIdleSource(RECORDS))).apply(ParDo.of(new CountRecords()));
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    URI ui = result.uiAddress().orElseThrow();
    try {
      assertThat(ui.getHost(), is("127.0.0.1"));
      String app = "/api/v1/applications/microbatch-ui-api-test";
      JsonNode stats = awaitProcessed(ui.resolve(app + "/streaming/statistics"));
      long completed = stats.get("numTotalCompletedBatches").asLong();
      assertThat(completed, greaterThanOrEqualTo(RECORDS / 100));
      assertThat(stats.get("batchDuration").asLong(), is(100L));

      JsonNode applications = client.get(ui.resolve("/api/v1/applications"), 200);
      assertThat(applications.get(0).get("id").asText(), is("microbatch-ui-api-test"));

      JsonNode batches = client.get(ui.resolve(app + "/streaming/batches?status=COMPLETED"), 200);
      long inputs = 0;
      long previousId = Long.MAX_VALUE;
      JsonNode withInput = null;
      for (JsonNode batch : batches) {
        assertThat(batch.get("status").asText(), is("COMPLETED"));
        assertThat(batch.get("processingTime").asLong(), greaterThanOrEqualTo(0L));
        assertThat(batch.get("totalDelay").asLong(), greaterThanOrEqualTo(batch.get("processingTime").asLong()));
        long id = batch.get("batchId").asLong();
        assertThat("newest first", id < previousId, is(true));
        previousId = id;
        inputs += batch.get("inputSize").asLong();
        if (batch.get("inputSize").asLong() > 0) {
          withInput = batch;
        }
      }
      assertThat(inputs, is(RECORDS));
      JsonNode one = client.get(ui.resolve(app + "/streaming/batches/" + withInput.get("batchId").asLong()), 200);
      assertThat(one.get("inputSize").asLong(), is(withInput.get("inputSize").asLong()));
      assertThat(one.get("sequence").asLong(), is(withInput.get("sequence").asLong()));
      // Its stages, named after Beam's transforms, with their time, records and watermarks.
      assertThat(one.get("stages").size(), greaterThanOrEqualTo(1));
      boolean sawCountRecords = false;
      for (JsonNode stage : one.get("stages")) {
        assertThat(stage.get("duration").asLong(), greaterThanOrEqualTo(0L));
        assertThat(stage.get("records").asLong(), greaterThanOrEqualTo(0L));
        assertThat(stage.get("outputWatermark").asText().isEmpty(), is(false));
        sawCountRecords |= stage.get("name").asText().contains("CountRecords");
      }
      assertThat(one.get("stages").toString(), sawCountRecords, is(true));
      // What the input read: its records, and a position per partition that read.
      JsonNode input = one.get("inputs").get(0);
      assertThat(input.get("name").asText(), containsString("CountThenIdleSource"));
      assertThat(input.get("records").asLong(), is(one.get("inputSize").asLong()));
      assertThat(input.get("positions").toString(), containsString("Next[value="));
      JsonNode stages = client.get(ui.resolve(app + "/stages"), 200);
      assertThat(stages.get("stages").size(), greaterThanOrEqualTo(1));
      assertThat(stages.get("stages").get(0).get("busy").asDouble(), greaterThanOrEqualTo(0.0));

      JsonNode timeline = client.get(ui.resolve(app + "/streaming/timeline"), 200);
      long timelineRecords = 0;
      for (JsonNode records : timeline.get("inputSize")) {
        timelineRecords += records.asLong();
      }
      assertThat(timelineRecords, is(RECORDS));
      assertThat(timeline.get("batchTime").size(), is(timeline.get("processingTime").size()));
      JsonNode environment = client.get(ui.resolve(app + "/environment"), 200);
      assertThat(environment.get("pipelineOptions").get("jobName").asText(), is("ui-api-test"));
      JsonNode page = client.get(ui.resolve(app + "/streaming/batches?status=COMPLETED&offset=1&length=2"), 200);
      assertThat(page.size(), is(2));
      // Batches keep completing between requests: the page must be two neighbours, not the newest.
      List<Long> after = new ArrayList<>();
      client.get(ui.resolve(app + "/streaming/batches?status=COMPLETED"), 200).forEach(b -> after.add(b.get("batchId").asLong()));
      int at = after.indexOf(page.get(0).get("batchId").asLong());
      assertThat(at, greaterThanOrEqualTo(1));
      assertThat(after.get(at + 1), is(page.get(1).get("batchId").asLong()));

      Map<String, Double> metrics = client.prometheus(ui.resolve("/metrics"));
      assertThat(metrics.get("microbatch_records_in_total{pipeline=\"ui-api-test\"}"), is((double) RECORDS));
      assertThat(
          metrics.get("microbatch_batches_completed_total{pipeline=\"ui-api-test\"}"),
          greaterThanOrEqualTo((double) completed));
      assertThat(metrics.get("microbatch_batch_interval_seconds{pipeline=\"ui-api-test\"}"), is(0.1));
      assertThat(
          metrics.keySet().stream().anyMatch(k -> k.startsWith("microbatch_stage_last_batch_seconds{pipeline=\"ui-api-test\",stage=\"")),
          is(true));
      assertThat(CounterTotals.committed(result, UiApiTest.class, "records"), is(RECORDS));
      // The pipeline's own counter, by step, in the API and in Prometheus.
      JsonNode records = null;
      for (JsonNode metric : client.get(ui.resolve(app + "/metrics"), 200)) {
        if (metric.get("name").asText().equals("records")) {
          records = metric;
        }
      }
      assertThat(records.get("namespace").asText(), is(UiApiTest.class.getName()));
      assertThat(records.get("kind").asText(), is("counter"));
      assertThat(records.get("committed").get("value").asLong(), is(RECORDS));
      String step = records.get("step").asText();
      assertThat(step, containsString("CountRecords"));
      assertThat(
          metrics.get(
              "microbatch_user_counter{pipeline=\"ui-api-test\",step=\"" + step + "\",namespace=\""
                  + UiApiTest.class.getName() + "\",name=\"records\"}"),
          is((double) RECORDS));

      client.assertJsonError(ui.resolve("/api/v1/nothing-here"), 404, "No such API path");
      client.assertJsonError(ui.resolve(app + "/streaming/batches/not-a-number"), 404, "Not a batch id");
      client.assertJsonError(ui.resolve(app + "/streaming/batches/12345"), 404, "No batch with id 12345");
      client.assertJsonError(ui.resolve("/api/v1/applications/someone-else/streaming/statistics"), 404, "No application");
      client.assertJsonError(ui.resolve("/no/such/page"), 404, "No such page");
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(ui.resolve("/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode(), is(405));
      assertThat(post.headers().firstValue("Allow").orElse(""), is("GET, HEAD"));
      assertThat(post.body(), not(containsString("Exception")));
    } finally {
      result.cancel();
    }
    assertThrows(
        ConnectException.class,
        () -> http.send(HttpRequest.newBuilder(ui.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()));
  }

  private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

  /**
   * With checkpoints on and a batch that fails once and is retried: the API lists durable
   * checkpoints with their bytes, the retried batch with two attempts and its failure's stack
   * trace, and the metrics count both.
   */
  @Test
  void checkpointsAndARetriedBatchShowInTheApiAndMetrics(@TempDir Path checkpoints) throws Exception {
    FAILED_ONCE.set(false);
    Pipeline pipeline = UiTestPipelines.withUi("ui-checkpoint-test", 50, "--checkpointDir=" + checkpoints);
    pipeline.apply(Read.from(new CountThenIdleSource(RECORDS))).apply(ParDo.of(new FailOnceAt(500)));
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    URI ui = result.uiAddress().orElseThrow();
    try {
      String app = "/api/v1/applications/microbatch-ui-checkpoint-test";
      awaitProcessed(ui.resolve(app + "/streaming/statistics"));
      JsonNode state = client.get(ui.resolve(app + "/checkpoints"), 200);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (state.get("numCompleted").asLong() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        state = client.get(ui.resolve(app + "/checkpoints"), 200);
      }
      assertThat(state.get("numCompleted").asLong(), greaterThanOrEqualTo(2L));
      assertThat(state.get("numFailed").asLong(), is(0L));
      assertThat(state.get("restoredBatch").isNull(), is(true));
      JsonNode latest = state.get("history").get(0);
      assertThat(latest.get("bytes").asLong(), greaterThan(0L));
      assertThat(latest.get("batch").asLong(), greaterThanOrEqualTo(state.get("history").get(1).get("batch").asLong()));

      JsonNode retried = null;
      for (JsonNode batch : client.get(ui.resolve(app + "/streaming/batches?status=COMPLETED"), 200)) {
        if (batch.get("attempts").asInt() > 1) {
          assertThat("one retried batch", retried == null, is(true));
          retried = batch;
        }
      }
      assertThat(retried.get("attempts").asInt(), is(2));
      String failure = retried.get("firstFailureReason").asText();
      assertThat(failure, containsString("IllegalStateException: failing once at 500"));
      assertThat(failure, containsString("at dev.microbatch.runner.UiApiTest$FailOnceAt.process"));

      Map<String, Double> metrics = client.prometheus(ui.resolve("/metrics"));
      assertThat(metrics.get("microbatch_batch_attempts_failed_total{pipeline=\"ui-checkpoint-test\"}"), is(1.0));
      assertThat(metrics.get("microbatch_batches_failed_total{pipeline=\"ui-checkpoint-test\"}"), is(0.0));
      assertThat(
          metrics.get("microbatch_checkpoints_completed_total{pipeline=\"ui-checkpoint-test\"}"),
          greaterThanOrEqualTo(2.0));
      assertThat(metrics.get("microbatch_last_checkpoint_bytes{pipeline=\"ui-checkpoint-test\"}"), greaterThan(0.0));
    } finally {
      result.cancel();
    }
  }

  /** Fails the first time it sees {@code value}; the retried batch then passes. */
  private static final class FailOnceAt extends DoFn<Long, Void> {
    private final long value;

    FailOnceAt(long value) {
      this.value = value;
    }

    @ProcessElement
    public void process(@Element Long element) {
      if (element == value && FAILED_ONCE.compareAndSet(false, true)) {
        throw new IllegalStateException("failing once at " + value);
      }
    }
  }

  /** Polls the statistics until every record was processed (or 60 s passed). */
  private JsonNode awaitProcessed(URI statistics) throws Exception {
    JsonNode stats = client.await(statistics, s -> s.get("numProcessedRecords").asLong() >= RECORDS);
    assertThat(stats.get("numProcessedRecords").asLong(), is(RECORDS));
    return stats;
  }

  /** Counts the records it sees in a Beam counter. */
  private static final class CountRecords extends DoFn<Long, Void> {
    private final Counter records = Metrics.counter(UiApiTest.class, "records");

    @ProcessElement
    public void process(@Element Long element) {
      records.inc();
    }
  }
}
