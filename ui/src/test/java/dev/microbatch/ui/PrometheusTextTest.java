package dev.microbatch.ui;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.microbatch.engine.listener.BatchInfo;
import dev.microbatch.engine.listener.InputInfo;
import dev.microbatch.engine.listener.StageInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus families built from one completed batch: per-stage state, timers and watermark
 * lags (only where a stage has them), per-input records, the rate limit, and Beam's late-drop
 * counters summed by step.
 */
class PrometheusTextTest {
  private static final long BATCH_TIME = 10_000;

  @Test
  void stagesInputsRateLimitAndLateDropsAreExported() {
    StatusStore store = new StatusStore(new JobInfo("app", "job", "streaming", 100, 2, 0, Map.of()), 10);
    StageInfo read = new StageInfo(1, "Read", false, 4, 30, 9_000, 9_000, List.of(1), null);
    StageInfo count =
        new StageInfo(3, "Count", false, 7, 12, 9_000, 8_500, List.of(), new StageInfo.StageState(8_500, 3, 42, 1_234));
    StageInfo output = new StageInfo(3, "output <- Count", true, 1, 12, 8_500, 8_500, List.of(), null);
    BatchInfo batch =
        new BatchInfo(
            1, BATCH_TIME, BATCH_TIME, BATCH_TIME + 1, BATCH_TIME + 9, 30, 12, List.of(read, count, output),
            List.of(new InputInfo(1, "Read", 30, List.of("offset 30"))), 500);
    store.submitted(batch);
    store.started(batch);
    store.completed(batch);
    List<UserMetric> metrics =
        List.of(
            new UserMetric("Window/GroupByKey", "org.apache.beam.runners.core.LateDataDroppingDoFnRunner",
                "droppedDueToLateness", "counter", Map.of("value", 5L), Map.of("value", 6L)),
            new UserMetric("Stateful", "org.apache.beam.runners.core.StatefulDoFnRunner", "StatefulParDoDropped",
                "counter", Map.of("value", 2L), Map.of("value", 2L)));

    String text =
        new String(PrometheusText.of(store.snapshot(BATCH_TIME + 20), metrics).body(), StandardCharsets.UTF_8);

    assertThat(text, containsString("microbatch_stage_state_keys{pipeline=\"job\",stage=\"Count\"} 42\n"));
    assertThat(text, containsString("microbatch_stage_state_bytes{pipeline=\"job\",stage=\"Count\"} 1234\n"));
    assertThat(text, containsString("microbatch_stage_timers_fired{pipeline=\"job\",stage=\"Count\"} 3\n"));
    assertThat(text, containsString("microbatch_stage_watermark_hold_lag_seconds{pipeline=\"job\",stage=\"Count\"} 1.500000\n"));
    assertThat(text, containsString("microbatch_stage_input_watermark_lag_seconds{pipeline=\"job\",stage=\"Read\"} 1\n"));
    assertThat(text, containsString("microbatch_stage_records{pipeline=\"job\",stage=\"output <- Count\"} 12\n"));
    // Stateless stages have no state samples.
    assertThat(text, not(containsString("microbatch_stage_state_keys{pipeline=\"job\",stage=\"Read\"}")));
    assertThat(text, containsString("microbatch_input_last_batch_records{pipeline=\"job\",input=\"Read\"} 30\n"));
    assertThat(text, containsString("microbatch_rate_limit_records_per_partition{pipeline=\"job\"} 500\n"));
    assertThat(text, containsString("microbatch_late_records_dropped_total{pipeline=\"job\",step=\"Window/GroupByKey\"} 5\n"));
    assertThat(text, containsString("microbatch_late_records_dropped_total{pipeline=\"job\",step=\"Stateful\"} 2\n"));
    assertThat(text.indexOf("# TYPE microbatch_stage_state_keys gauge"), is(text.lastIndexOf("# TYPE microbatch_stage_state_keys")));
  }
}
