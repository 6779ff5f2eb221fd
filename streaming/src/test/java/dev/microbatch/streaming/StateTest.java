package dev.microbatch.streaming;

import static dev.microbatch.streaming.Pairs.asMap;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** updateStateByKey and mapWithState: state across batches, removal, initial state, timeouts. */
class StateTest {


  @Test
  void updateStateByKeyRunsForEveryKeyWithStateAndRemovesOnEmpty() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
      JavaPairDStream<String, Integer> words =
          h.queue(List.of("a", "b", "a"), List.of("b"), List.of(), List.of("a", "c"))
              .mapToPair(w -> new Tuple2<>(w, 1));
      JavaPairDStream<String, Integer> totals =
          words.updateStateByKey(
              (List<Integer> values, Optional<Integer> state) -> {
                calls.add(values.size() + "/" + state.orElse(-1));
                int sum = state.orElse(0) + values.stream().mapToInt(Integer::intValue).sum();
                // A key's state ends once it reaches 3.
                return sum >= 3 ? Optional.empty() : Optional.of(sum);
              });
      Map<Long, List<Tuple2<String, Integer>>> out = h.collect(totals);
      h.start();
      h.runBatches(4);
      assertThat(asMap(out.get(1L)), equalTo(Map.of("a", 2, "b", 1)));
      assertThat(asMap(out.get(2L)), equalTo(Map.of("a", 2, "b", 2)));
      // No new data: the function still runs for every key with state.
      assertThat(asMap(out.get(3L)), equalTo(Map.of("a", 2, "b", 2)));
      // a reaches 3: the empty result removes it, and it is no longer in the stream.
      assertThat(asMap(out.get(4L)), equalTo(Map.of("b", 2, "c", 1)));
      assertThat(calls.subList(0, 2), containsInAnyOrder("2/-1", "1/-1"));
    }
  }

  @Test
  void updateStateByKeyStartsFromAnInitialState() throws Exception {
    try (StreamingHarness h = new StreamingHarness(3)) {
      JavaPairRDD<String, Integer> initial =
          h.ssc().parallelizePairs(List.of(new Tuple2<>("a", 10), new Tuple2<>("z", 100)));
      JavaPairDStream<String, Integer> totals =
          h.queue(List.of("a", "b"), List.of("a"))
              .mapToPair(w -> new Tuple2<>(w, 1))
              .updateStateByKey(
                  (List<Integer> values, Optional<Integer> state) ->
                      Optional.of(state.orElse(0) + values.size()),
                  4,
                  initial);
      Map<Long, List<Tuple2<String, Integer>>> out = h.collect(totals);
      h.start();
      h.runBatches(2);
      assertThat(asMap(out.get(1L)), equalTo(Map.of("a", 11, "b", 1, "z", 100)));
      assertThat(asMap(out.get(2L)), equalTo(Map.of("a", 12, "b", 1, "z", 100)));
    }
  }

  @Test
  void mapWithStateCallsOncePerValueAndTouchesOnlyKeysWithData() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaPairDStream<String, Integer> words =
          h.queue(List.of("a", "b", "a"), List.of("a"), List.of("c", "drop"), List.of("drop"))
              .mapToPair(w -> new Tuple2<>(w, 1));
      JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> counts =
          words.mapWithState(
              StateSpec.function(
                  (String word, Optional<Integer> one, State<Integer> state) -> {
                    int next = (state.exists() ? state.get() : 0) + one.orElse(0);
                    if (word.equals("drop") && state.exists()) {
                      state.remove();
                      return new Tuple2<>(word, -1);
                    }
                    state.update(next);
                    return new Tuple2<>(word, next);
                  }));
      Map<Long, List<Tuple2<String, Integer>>> mapped = h.collect(counts);
      Map<Long, List<Tuple2<String, Integer>>> snapshots = h.collect(counts.stateSnapshots());
      h.start();
      h.runBatches(4);
      assertThat(mapped.get(1L), containsInAnyOrder(t("a", 1), t("a", 2), t("b", 1)));
      assertThat(mapped.get(2L), containsInAnyOrder(t("a", 3)));
      assertThat(mapped.get(3L), containsInAnyOrder(t("c", 1), t("drop", 1)));
      assertThat(mapped.get(4L), containsInAnyOrder(t("drop", -1)));
      assertThat(asMap(snapshots.get(2L)), equalTo(Map.of("a", 3, "b", 1)));
      assertThat(asMap(snapshots.get(3L)), equalTo(Map.of("a", 3, "b", 1, "c", 1, "drop", 1)));
      assertThat(asMap(snapshots.get(4L)), equalTo(Map.of("a", 3, "b", 1, "c", 1)));
    }
  }

  @Test
  void mapWithStateTimesOutIdleKeysOnceAndRemovesThem() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      List<String> timedOut = new java.util.concurrent.CopyOnWriteArrayList<>();
      JavaPairDStream<String, Integer> words =
          h.queue(List.of("a", "b"), List.of("b"), List.of("b"), List.of(), List.of(), List.of("a"))
              .mapToPair(w -> new Tuple2<>(w, 1));
      JavaMapWithStateDStream<String, Integer, Integer, String> out =
          words.mapWithState(
              StateSpec.<String, Integer, Integer, String>function(
                      (Time time, String word, Optional<Integer> one, State<Integer> state) -> {
                        if (state.isTimingOut()) {
                          timedOut.add(word + "@" + time.milliseconds() + "=" + state.get());
                          return Optional.of("timeout " + word);
                        }
                        state.update((state.exists() ? state.get() : 0) + one.get());
                        return Optional.empty();
                      })
                  .timeout(Durations.seconds(2)));
      Map<Long, List<String>> emitted = h.collect(out);
      Map<Long, List<Tuple2<String, Integer>>> snapshots = h.collect(out.stateSnapshots());
      h.start();
      h.runBatches(6);
      // a: last data at 1 s; idle longer than 2 s at 4 s (1 + 2 < 4), not at 3 s.
      assertThat(emitted.get(3L), empty());
      assertThat(emitted.get(4L), containsInAnyOrder("timeout a"));
      // b: last data at 3 s, times out at 6 s; a comes back at 6 s with fresh state.
      assertThat(emitted.get(6L), containsInAnyOrder("timeout b"));
      assertThat(timedOut, equalTo(List.of("a@4000=1", "b@6000=3")));
      assertThat(asMap(snapshots.get(4L)), equalTo(Map.of("b", 3)));
      assertThat(asMap(snapshots.get(6L)), equalTo(Map.of("a", 1)));
    }
  }

  @Test
  void mapWithStateStartsFromAnInitialState() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaPairRDD<String, Integer> initial = h.ssc().parallelizePairs(List.of(new Tuple2<>("a", 5)));
      JavaMapWithStateDStream<String, Integer, Integer, Integer> out =
          h.queue(List.of("a", "b"))
              .mapToPair(w -> new Tuple2<>(w, 1))
              .mapWithState(
                  StateSpec.function(
                          (String w, Optional<Integer> one, State<Integer> state) -> {
                            int next = state.getOption().orElse(0) + one.get();
                            state.update(next);
                            return next;
                          })
                      .initialState(initial)
                      .numPartitions(7));
      Map<Long, List<Integer>> emitted = h.collect(out);
      h.start();
      h.runBatches(1);
      assertThat(emitted.get(1L), containsInAnyOrder(6, 1));
    }
  }

  private static Tuple2<String, Integer> t(String key, int value) {
    return new Tuple2<>(key, value);
  }
}
