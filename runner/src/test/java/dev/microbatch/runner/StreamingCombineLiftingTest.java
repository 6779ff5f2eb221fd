package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Combine.perKey in a streaming pipeline keeps one accumulator per key and window in state, not
 * its values: 2,000 numbers summed over 10 keys in a window that never closes (so everything
 * stays in state) leave fewer state bytes than the values alone would take (at least
 * one byte each), whether or not partitions combine their inputs before the shuffle (they do not
 * under a trigger that counts elements; {@code CombineLiftingTest} in translation covers that).
 */
class StreamingCombineLiftingTest {
  private static final long RECORDS = 2_000;
  private static final long KEYS = 10;
  private final UiClient client = new UiClient();

  @Test
  void aSumKeepsOneAccumulatorPerKeyInState() throws Exception {
    // Every number is at the minimum timestamp with the watermark held there: one window, never closed.
    assertOneAccumulatorPerKey(
        batchesOnceAllIsRead("combine-early", Window.into(FixedWindows.of(Duration.standardDays(1)))));
  }

  @Test
  void underATriggerThatCountsElementsTooTheStateHoldsAccumulators() throws Exception {
    // The trigger never fires here; it makes the inputs go into state one by one (not combined
    // per partition first), which must still leave accumulators, not values.
    Window<KV<Long, Long>> counting =
        Window.<KV<Long, Long>>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1_000_000)))
            .discardingFiredPanes();
    assertOneAccumulatorPerKey(batchesOnceAllIsRead("combine-in-state", counting));
  }

  private static void assertOneAccumulatorPerKey(JsonNode batches) {
    JsonNode stateful = null;
    for (JsonNode stage : batches.get(0).get("stages")) {
      if (stage.get("kind").asText().equals("stateful")) {
        stateful = stage;
      }
    }
    assertThat(batches.get(0).toString(), stateful != null, is(true));
    assertThat(stateful.get("name").asText(), containsString("SumPerKey"));
    assertThat(stateful.get("stateKeys").asLong(), is(KEYS));
    assertThat(stateful.toString(), stateful.get("stateBytes").asLong(), lessThan(RECORDS));
  }

  /** The completed batches, newest first, once a batch completed after every record was read. */
  private JsonNode batchesOnceAllIsRead(String job, Window<KV<Long, Long>> windowing) throws Exception {
    Pipeline pipeline = UiTestPipelines.withUi(job, 100);
    pipeline
        .apply("Numbers", Read.from(new CountThenIdleSource(RECORDS)))
        .apply(
            "ByKey",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                .via((Long i) -> KV.of(i % KEYS, i)))
        .apply("Windowing", windowing)
        .apply("SumPerKey", Sum.longsPerKey());
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    URI ui = result.uiAddress().orElseThrow();
    try {
      String app = "/api/v1/applications/microbatch-" + job;
      client.await(ui.resolve(app + "/streaming/statistics"), s -> s.get("numProcessedRecords").asLong() >= RECORDS);
      long after = client.get(ui.resolve(app + "/streaming/statistics"), 200).get("numTotalCompletedBatches").asLong();
      JsonNode batches =
          client.await(
              ui.resolve(app + "/streaming/batches?status=COMPLETED"), b -> b.get(0).get("sequence").asLong() > after);
      return batches;
    } finally {
      result.cancel();
    }
  }
}
