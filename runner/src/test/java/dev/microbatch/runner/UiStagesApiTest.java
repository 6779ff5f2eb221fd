package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;

/**
 * A keyed count in state with one timer per key, watched through the UI's API: the stateful
 * stage's keys, bytes, timers fired and watermarks, Spark's output-operation and receiver paths,
 * the per-input rates, and the same state figures in Prometheus, all checked against what the
 * pipeline did (2,000 records over 10 keys, 10 timers).
 */
class UiStagesApiTest {
  private static final long RECORDS = 2_000;
  private final UiClient client = new UiClient();

  @Test
  void statefulStagesOutputOperationsAndInputsMatchThePipeline() throws Exception {
    Pipeline pipeline = UiTestPipelines.withUi("ui-stages-test", 100);
    UiTestPipelines.keyedCount(pipeline, RECORDS);
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    URI ui = result.uiAddress().orElseThrow();
    try {
      String app = "/api/v1/applications/microbatch-ui-stages-test";
      JsonNode stats =
          client.await(ui.resolve(app + "/streaming/statistics"), s -> s.get("numProcessedRecords").asLong() >= RECORDS);
      assertThat(stats.get("numProcessedRecords").asLong(), is(RECORDS));
      assertThat(stats.get("numReceivers").asInt(), is(1));
      // Every key's timer fires in a batch after the one that armed it.
      JsonNode batches =
          client.await(ui.resolve(app + "/streaming/batches?status=COMPLETED"), b -> timersFired(b) >= UiTestPipelines.KEYS);
      assertThat(firedStages(batches), timersFired(batches), is(UiTestPipelines.KEYS));

      JsonNode last = batches.get(0);
      JsonNode stateful = stageOfKind(last.get("stages"), "stateful");
      assertThat(stateful.get("name").asText(), containsString("CountPerKey"));
      assertThat(stateful.get("stateKeys").asLong(), is(UiTestPipelines.KEYS));
      assertThat(stateful.get("stateBytes").asLong(), greaterThan(0L));
      assertThat(stateful.get("watermarkHold").asText().isEmpty(), is(false));
      assertThat(stateful.get("inputWatermark").asText().isEmpty(), is(false));
      JsonNode read = stageReading(last.get("stages"));
      assertThat(read.get("name").asText(), containsString("Numbers"));
      assertThat(read.get("stateKeys").isNull(), is(true));

      // Spark's output operations of a batch: ours run in a fixed order, numbered from 0.
      String batch = app + "/streaming/batches/" + last.get("batchId").asLong();
      JsonNode operations = client.get(ui.resolve(batch + "/operations"), 200);
      assertThat(operations.size(), is(last.get("numTotalOutputOps").asInt()));
      assertThat(operations.size(), greaterThanOrEqualTo(1));
      JsonNode first = operations.get(0);
      assertThat(first.get("outputOpId").asInt(), is(0));
      assertThat(first.get("name").asText(), startsWith("output <- "));
      assertThat(first.get("duration").asLong(), greaterThanOrEqualTo(0L));
      assertThat(client.get(ui.resolve(batch + "/operations/0"), 200), is(first));
      client.assertJsonError(ui.resolve(batch + "/operations/99"), 404, "no output operation 99");

      // One receiver per input, Spark's way, whose rates add up to the records read.
      JsonNode receivers = client.get(ui.resolve(app + "/streaming/receivers"), 200);
      assertThat(receivers.size(), is(1));
      JsonNode receiver = receivers.get(0);
      assertThat(receiver.get("streamName").asText(), containsString("Numbers"));
      assertThat(receiver.get("avgEventRate").asDouble(), greaterThan(0.0));
      double records = 0;
      for (JsonNode point : receiver.get("eventRates")) {
        records += point.get(1).asDouble() * 100 / 1000;
      }
      assertThat(Math.round(records), is(RECORDS));
      JsonNode byId = client.get(ui.resolve(app + "/streaming/receivers/" + receiver.get("streamId").asInt()), 200);
      assertThat(byId.get("streamName"), is(receiver.get("streamName")));
      client.assertJsonError(ui.resolve(app + "/streaming/receivers/999"), 404, "No input stream");

      JsonNode timeline = client.get(ui.resolve(app + "/streaming/timeline"), 200);
      JsonNode source = timeline.get("inputRateBySource").get(0);
      assertThat(source.get("name"), is(receiver.get("streamName")));
      assertThat(source.get("inputRate").size(), is(timeline.get("batchTime").size()));

      // The stages overview says where backpressure would act: the stage that reads the input.
      JsonNode overview = client.get(ui.resolve(app + "/stages"), 200).get("stages");
      assertThat(stageReading(overview).get("backpressured").asBoolean(), is(false));
      assertThat(stageOfKind(overview, "stateful").has("rateLimit"), is(true));

      Map<String, Double> metrics = client.prometheus(ui.resolve("/metrics"));
      String stage = "{pipeline=\"ui-stages-test\",stage=\"" + stateful.get("name").asText() + "\"}";
      assertThat(metrics.get("microbatch_stage_state_keys" + stage), is((double) UiTestPipelines.KEYS));
      assertThat(metrics.get("microbatch_stage_state_bytes" + stage), greaterThan(0.0));
      assertThat(metrics.get("microbatch_stage_timers_fired" + stage), notNullValue());
      assertThat(metrics.get("microbatch_late_records_dropped_total{pipeline=\"ui-stages-test\"}"), is(0.0));
      assertThat(
          metrics.get("microbatch_input_last_batch_records{pipeline=\"ui-stages-test\",input=\""
              + receiver.get("streamName").asText() + "\"}"),
          notNullValue());
    } finally {
      result.cancel();
    }
  }

  private static long timersFired(JsonNode batches) {
    long fired = 0;
    for (JsonNode batch : batches) {
      for (JsonNode stage : batch.get("stages")) {
        fired += stage.get("timersFired").asLong(0);
      }
    }
    return fired;
  }

  /** The stages that fired timers, with their batch, for a failure's message. */
  private static String firedStages(JsonNode batches) {
    StringBuilder fired = new StringBuilder();
    for (JsonNode batch : batches) {
      for (JsonNode stage : batch.get("stages")) {
        if (stage.get("timersFired").asLong(0) > 0) {
          fired.append(batch.get("sequence")).append(": ").append(stage).append('\n');
        }
      }
    }
    return fired.toString();
  }

  private static JsonNode stageOfKind(JsonNode stages, String kind) {
    for (JsonNode stage : stages) {
      if (stage.get("kind").asText().equals(kind)) {
        return stage;
      }
    }
    throw new AssertionError("No " + kind + " stage in " + stages);
  }

  private static JsonNode stageReading(JsonNode stages) {
    for (JsonNode stage : stages) {
      if (!stage.get("inputStreamIds").isEmpty()) {
        return stage;
      }
    }
    throw new AssertionError("No stage reads an input: " + stages);
  }
}
