package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.driver.ContextState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The operations and context methods the other tests leave out. */
class MoreOperationsTest {

  @Test
  void flatMapToPairAndTransformWithCombineStreams() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaDStream<String> lines = h.queue(List.of("a b", "c"), List.of("d"));
      JavaDStream<Integer> numbers = h.queue(List.of(1, 2), List.of());
      Map<Long, List<Tuple2<String, Integer>>> pairs =
          h.collect(lines.flatMapToPair(l -> List.of(new Tuple2<>(l, l.length()), new Tuple2<>(l, 0)).iterator()));
      Map<Long, List<String>> combined =
          h.collect(
              lines.transformWith(
                  numbers,
                  (a, b, time) -> {
                    List<String> all = new ArrayList<>(a.collect());
                    b.collect().forEach(n -> all.add("n" + n + "@" + time.milliseconds()));
                    return h.ssc().parallelize(all);
                  }));
      h.start();
      h.runBatches(2);
      assertThat(pairs.get(1L), containsInAnyOrder(t("a b", 3), t("a b", 0), t("c", 1), t("c", 0)));
      assertThat(combined.get(1L), containsInAnyOrder("a b", "c", "n1@1000", "n2@1000"));
      assertThat(combined.get(2L), contains("d"));
    }
  }

  @Test
  void windowsWithoutASlideSlideByTheStream() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaPairDStream<String, Integer> ones =
          h.queue(List.of("a"), List.of("a", "b"), List.of()).mapToPair(w -> new Tuple2<>(w, 1));
      Map<Long, List<Tuple2<String, Integer>>> window = h.collect(ones.window(Durations.seconds(2)));
      Map<Long, List<Tuple2<String, Integer>>> reduced =
          h.collect(ones.reduceByKeyAndWindow(Integer::sum, Durations.seconds(2)));
      Map<Long, List<Tuple2<String, Iterable<Integer>>>> grouped = h.collect(ones.groupByKeyAndWindow(Durations.seconds(2)));
      Map<Long, List<String>> plainWindow = h.collect(ones.map(Tuple2::_1).window(Durations.seconds(2)));
      h.start();
      h.runBatches(3);
      assertThat(window.get(2L), containsInAnyOrder(t("a", 1), t("a", 1), t("b", 1)));
      assertThat(reduced.get(2L), containsInAnyOrder(t("a", 2), t("b", 1)));
      assertThat(reduced.get(3L), containsInAnyOrder(t("a", 1), t("b", 1)));
      assertThat(grouped.get(3L).size(), equalTo(2));
      assertThat(plainWindow.get(3L), containsInAnyOrder("a", "b"));
    }
  }

  @Test
  void aQueueReadWholeTakesEveryQueuedCollectionInOneBatch() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      Queue<List<Integer>> queue = new ConcurrentLinkedQueue<>(List.of(List.of(1), List.of(2, 3)));
      Map<Long, List<Integer>> seen = h.collect(h.ssc().queueStream(queue, false).cache());
      h.start();
      h.runBatches(1);
      queue.add(List.of(4));
      h.runBatches(2);
      assertThat(seen.get(1L), containsInAnyOrder(1, 2, 3));
      assertThat(seen.get(2L), contains(4));
      assertThat(seen.get(3L), empty());
    }
  }

  @Test
  void aCustomReceiverStoresWhatItReceives() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    Receiver<Integer> receiver =
        new Receiver<>() {
          @Override
          public void onStart() {
            events.add("start");
            store(List.of(1, 2, 3));
            store(4);
          }

          @Override
          public void onStop() {
            events.add("stop");
          }
        };
    try (StreamingHarness h = new StreamingHarness(2)) {
      Map<Long, List<Integer>> seen = h.collect(h.ssc().receiverStream(receiver));
      h.start();
      h.runBatches(1);
      assertThat(seen.get(1L), containsInAnyOrder(1, 2, 3, 4));
    }
    assertThat(events, contains("start", "stop"));
    assertThrows(IllegalStateException.class, () -> receiver.store(5));
  }

  @Test
  void mapWithStateCannotUpdateATimingOutKeyAndMayEmitNothing() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (StreamingHarness h = new StreamingHarness(1)) {
      JavaMapWithStateDStream<String, Integer, Integer, String> out =
          h.queue(List.of("a"), List.of(), List.of(), List.of(), List.of())
              .mapToPair(w -> new Tuple2<>(w, 1))
              .mapWithState(
                  StateSpec.<String, Integer, Integer, String>function(
                          (Time time, String key, Optional<Integer> value, State<Integer> state) -> {
                            if (state.isTimingOut()) {
                              try {
                                state.update(0);
                              } catch (IllegalStateException e) {
                                errors.add(e.getMessage());
                              }
                              return Optional.empty();
                            }
                            state.update(value.get());
                            return Optional.empty();
                          })
                      .timeout(Durations.seconds(1)));
      Map<Long, List<String>> emitted = h.collect(out);
      h.start();
      h.runBatches(4);
      for (long batch = 1; batch <= 4; batch++) {
        assertThat(emitted.get(batch), empty());
      }
    }
    assertThat(errors, contains(containsString("timing out")));
    assertThrows(IllegalArgumentException.class, () -> StateSpec.function((String k, Optional<Integer> v, State<Integer> s) -> 1).timeout(Durations.milliseconds(0)));
    assertThrows(IllegalArgumentException.class, () -> StateSpec.function((String k, Optional<Integer> v, State<Integer> s) -> 1).numPartitions(0));
  }

  @Test
  void updateStateByKeyTakesAPartitionHintAndRefusesBadOnes() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaPairDStream<String, Integer> ones = h.queue(List.of("a", "a")).mapToPair(w -> new Tuple2<>(w, 1));
      Map<Long, List<Tuple2<String, Integer>>> totals =
          h.collect(
              ones.updateStateByKey(
                  (List<Integer> values, Optional<Integer> state) -> Optional.of(state.orElse(0) + values.size()), 8));
      assertThrows(IllegalArgumentException.class, () -> ones.reduceByKey(Integer::sum, 0));
      h.start();
      h.runBatches(1);
      assertThat(totals.get(1L), contains(t("a", 2)));
    }
  }

  @Test
  void theContextReportsItsStateAndStopsOnRequest() throws Exception {
    try (StreamingHarness h = new StreamingHarness(1)) {
      h.queue(List.of(1)).print();
      assertThat(h.ssc().getState(), equalTo(ContextState.INITIALIZED));
      h.ssc().remember(Durations.seconds(60));
      assertThrows(IllegalArgumentException.class, () -> h.ssc().remember(Durations.milliseconds(0)));
      h.start();
      assertThat(h.ssc().getState(), equalTo(ContextState.ACTIVE));
      assertThat(h.ssc().awaitTerminationOrTimeout(50), equalTo(false));
      h.runBatches(1);
      h.ssc().stop(true);
      assertThat(h.ssc().awaitTerminationOrTimeout(5_000), equalTo(true));
      assertThat(h.ssc().getState(), equalTo(ContextState.STOPPED));
    }
  }

  @Test
  void streamsOfDifferentSlidesDoNotUnion() throws Exception {
    try (StreamingHarness h = new StreamingHarness(1)) {
      JavaDStream<Integer> a = h.queue(List.of(1));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> a.union(a.window(Durations.seconds(2), Durations.seconds(2))));
      assertThat(e.getMessage(), containsString("same slide duration"));
      Map<Long, List<Integer>> both = h.collect(a.union(a));
      h.start();
      h.runBatches(1);
      assertThat(both.get(1L), contains(1, 1));
    }
  }

  private static Tuple2<String, Integer> t(String key, int value) {
    return new Tuple2<>(key, value);
  }
}
