package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context stopped at once (its running batch abandoned) and started again with getOrCreate on
 * the same checkpoint directory continues every stateful operation as if it had not stopped.
 */
class RecoveryTest {
  private static final int BATCHES = 8;

  /** The same data every run: batch i has words of keys k0..k(i mod 4). */
  private static List<List<String>> data() {
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < BATCHES; i++) {
      List<String> words = new ArrayList<>();
      for (int k = 0; k <= i % 4; k++) {
        words.add("k" + k);
        words.add("k" + (k * i % 3));
      }
      batches.add(words);
    }
    return batches;
  }

  /** What each stateful operation printed, per batch, sorted, as text. */
  private record Outputs(
      Map<Long, List<String>> state, Map<Long, List<String>> mapped, Map<Long, List<String>> inverse, Map<Long, List<String>> window) {
    Map<Long, List<String>> all() {
      Map<Long, List<String>> all = new TreeMap<>();
      for (Map<Long, List<String>> part : List.of(state, mapped, inverse, window)) {
        part.forEach((batch, lines) -> all.computeIfAbsent(batch, b -> new ArrayList<>()).addAll(lines));
      }
      all.values().forEach(lines -> lines.sort(null));
      return all;
    }
  }

  private static Outputs build(StreamingHarness h) {
    JavaPairDStream<String, Integer> words =
        h.queue(data().toArray(new List[0])).mapToPair(w -> new Tuple2<>((String) w, 1));
    JavaPairDStream<String, Integer> totals =
        words.updateStateByKey(
            (List<Integer> values, Optional<Integer> state) -> Optional.of(state.orElse(0) + values.size()));
    JavaMapWithStateDStream<String, Integer, Integer, String> mapped =
        words.mapWithState(
            StateSpec.function(
                (String w, Optional<Integer> one, State<Integer> state) -> {
                  int next = state.getOption().orElse(0) + one.orElse(0);
                  state.update(next);
                  return w + "#" + next;
                }));
    JavaPairDStream<String, Integer> inverse =
        words.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, Durations.seconds(3), Durations.seconds(1));
    JavaDStream<Long> windowCounts = words.countByWindow(Durations.seconds(4), Durations.seconds(2));
    return new Outputs(
        h.collect(totals.map(Tuple2::toString)),
        h.collect(mapped),
        h.collect(inverse.map(t -> "w" + t)),
        h.collect(windowCounts.map(c -> "count " + c)));
  }

  @Test
  void aRestartFromTheCheckpointContinuesExactly(@TempDir Path dir) throws Exception {
    Map<Long, List<String>> expected;
    try (StreamingHarness h = new StreamingHarness(3)) {
      Outputs outputs = build(h);
      h.start();
      h.runBatches(BATCHES);
      expected = outputs.all();
    }
    assertThat(expected.keySet().size(), equalTo(BATCHES));
    String checkpoint = dir.resolve("checkpoint").toString();
    Map<Long, List<String>> seen = new TreeMap<>();
    long stoppedAt;
    try (StreamingHarness first = new StreamingHarness(3)) {
      Outputs outputs = build(first);
      first.ssc().checkpoint(checkpoint);
      first.start();
      first.runBatches(3);
      seen.putAll(outputs.all());
      stoppedAt = first.clock().millis();
    }
    StreamingHarness[] second = new StreamingHarness[1];
    Outputs[] outputs = new Outputs[1];
    JavaStreamingContext restarted =
        JavaStreamingContext.getOrCreate(
            checkpoint,
            () -> {
              second[0] = new StreamingHarness(3, stoppedAt);
              outputs[0] = build(second[0]);
              return second[0].ssc();
            });
    try (StreamingHarness h = second[0]) {
      assertThat(restarted == h.ssc(), equalTo(true));
      h.start();
      h.runBatches(BATCHES - 3);
      seen.putAll(outputs[0].all());
    }
    assertThat(seen, equalTo(expected));
  }

  @Test
  void aChangedGraphIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    try (StreamingHarness first = new StreamingHarness(2)) {
      build(first);
      first.ssc().checkpoint(checkpoint);
      first.start();
      first.runBatches(2);
    }
    try (StreamingHarness changed = new StreamingHarness(2, 2_000)) {
      // The same inputs, but the updateStateByKey stage is gone.
      changed.queue(data().toArray(new List[0])).print();
      changed.ssc().checkpoint(checkpoint);
      RuntimeException e = assertThrows(RuntimeException.class, changed::start);
      assertThat(e.getMessage(), containsString("updateStateByKey"));
    }
  }
}
