package dev.microbatch.ui;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.StageInfo;
import dev.microbatch.engine.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API over a store that retains 100,000 batches: bounded charts, paging, ordering, failures. */
class RestApiTest {
  private static final int BATCHES = 100_000;
  private final ObjectMapper json = new ObjectMapper();

  private static final Clock FIXED =
      new Clock() {
        @Override
        public long millis() {
          return 1_000_000_000L;
        }

        @Override
        public void sleepUntil(long deadline) {}
      };

  @Test
  void oneHundredThousandRetainedBatchesArePagedAndChartedBounded() throws Exception {
    StatusStore store = new StatusStore(new JobInfo("app", "job", "streaming", 100, 2, 0, Map.of()), BATCHES);
    for (int b = 1; b <= BATCHES + 5; b++) {
      BatchInfo batch = new BatchInfo(b, b * 100L, b * 100L, b * 100L + 1, b * 100L + 3, b % 7, b % 7);
      store.submitted(batch);
      store.started(batch);
      store.completed(batch);
    }
    BatchInfo failing = new BatchInfo(BATCHES + 6, (BATCHES + 6) * 100L, (BATCHES + 6) * 100L, -1, -1, -1, -1);
    store.submitted(failing);
    store.failed(failing, "java.lang.IllegalStateException: boom\n\tat Somewhere", false, 5);
    RestApi api = new RestApi(store, FIXED, List::of);

    JsonNode stats = read(api.get("/api/v1/applications/app/streaming/statistics", null));
    assertThat(stats.get("numTotalCompletedBatches").asLong(), is((long) BATCHES + 5));
    assertThat(stats.get("numRetainedCompletedBatches").asLong(), is((long) BATCHES));
    assertThat(stats.get("numFailedBatches").asLong(), is(1L));

    JsonNode timeline = read(api.get("/api/v1/applications/app/streaming/timeline", null));
    assertThat(timeline.get("batchTime").size(), is(RestApi.TIMELINE_POINTS));
    assertThat(timeline.get("sequence").get(RestApi.TIMELINE_POINTS - 1).asLong(), is((long) BATCHES + 6));
    JsonNode lastTen = read(api.get("/api/v1/applications/app/streaming/timeline", "last=10"));
    assertThat(lastTen.get("sequence").get(0).asLong(), is((long) BATCHES - 3));

    JsonNode newest = read(api.get("/api/v1/applications/app/streaming/batches", "length=2"));
    assertThat(newest.get(0).get("status").asText(), is("FAILED"));
    assertThat(newest.get(0).get("firstFailureReason").asText(), is("java.lang.IllegalStateException: boom\n\tat Somewhere"));
    assertThat(newest.get(1).get("sequence").asLong(), is((long) BATCHES + 5));
    JsonNode oldest =
        read(api.get("/api/v1/applications/app/streaming/batches", "status=COMPLETED&offset=" + (BATCHES - 3) + "&length=20"));
    assertThat(oldest.size(), is(2));
    assertThat(oldest.get(1).get("sequence").asLong(), is(7L));
    assertThat(read(api.get("/api/v1/applications/app/streaming/batches/700", null)).get("sequence").asLong(), is(7L));
    assertThat(api.get("/api/v1/applications/app/streaming/batches/600", null).status(), is(404));
  }

  @Test
  void theStageReadingAnInputShowsTheRateLimitAndOperationsAreNumberedInOrder() throws Exception {
    StatusStore store = new StatusStore(new JobInfo("app", "job", "streaming", 100, 2, 0, Map.of()), 10);
    StageInfo read = new StageInfo(1, "Read", false, 4, 30, 9_000, 9_000, List.of(1), null);
    StageInfo first = new StageInfo(1, "output <- Read", true, 2, 30, 9_000, 9_000, List.of(1), null);
    StageInfo second = new StageInfo(2, "output <- Other", true, 3, 7, 9_000, 9_000, List.of(), null);
    BatchInfo batch =
        new BatchInfo(1, 10_000, 10_000, 10_001, 10_009, 30, 37, List.of(read, first, second), List.of(), 500);
    store.submitted(batch);
    store.started(batch);
    store.completed(batch);
    RestApi api = new RestApi(store, FIXED, List::of);

    JsonNode stages = read(api.get("/api/v1/applications/app/stages", null)).get("stages");
    assertThat(stages.get(0).get("rateLimit").asLong(), is(500L));
    assertThat(stages.get(0).get("backpressured").asBoolean(), is(true));
    assertThat(stages.get(2).get("rateLimit").isNull(), is(true));
    JsonNode operations = read(api.get("/api/v1/applications/app/streaming/batches/10000/operations", null));
    assertThat(operations.size(), is(2));
    assertThat(operations.get(1).get("outputOpId").asInt(), is(1));
    assertThat(operations.get(1).get("name").asText(), is("output <- Other"));
    assertThat(operations.get(1).get("duration").asLong(), is(3L));
    assertThat(api.get("/api/v1/applications/app/streaming/batches/10000/operations/2", null).status(), is(404));
    assertThat(api.get("/api/v1/applications/app/streaming/batches/10000/other", null).status(), is(404));
  }

  private JsonNode read(HttpReply reply) throws Exception {
    assertThat(new String(reply.body()), reply.status(), is(200));
    return json.readTree(reply.body());
  }
}
