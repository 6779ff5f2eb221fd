package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static dev.microbatch.streaming.Pairs.asMap;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Windows over batches: their start, their slide, and reductions with and without an inverse. */
class WindowsTest {
  private static final Duration ONE = Durations.seconds(1);
  private static final Duration TWO = Durations.seconds(2);
  private static final Duration THREE = Durations.seconds(3);
  private static final Duration FOUR = Durations.seconds(4);


  @Test
  void aWindowHoldsTheLastBatchesAndStartsPartial() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaDStream<Integer> numbers = h.queue(List.of(1), List.of(2), List.of(3), List.of(4), List.of(), List.of());
      Map<Long, List<Integer>> windows = h.collect(numbers.window(THREE, ONE));
      Map<Long, List<Long>> counts = h.collect(numbers.countByWindow(THREE, ONE));
      h.start();
      h.runBatches(6);
      assertThat(windows.get(1L), contains(1));
      assertThat(windows.get(2L), containsInAnyOrder(1, 2));
      assertThat(windows.get(3L), containsInAnyOrder(1, 2, 3));
      assertThat(windows.get(4L), containsInAnyOrder(2, 3, 4));
      assertThat(windows.get(5L), containsInAnyOrder(3, 4));
      assertThat(windows.get(6L), contains(4));
      assertThat(counts.get(4L), contains(3L));
      assertThat(counts.get(6L), contains(1L));
    }
  }

  @Test
  void aSlidingWindowHasBatchesOnlyAtItsSlide() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaDStream<Integer> numbers =
          h.queue(List.of(1), List.of(2), List.of(3), List.of(4), List.of(5), List.of(6));
      JavaDStream<Integer> windowed = numbers.window(FOUR, TWO);
      Map<Long, List<Integer>> windows = h.collect(windowed);
      // A count of the windowed stream has batches only where the window has them.
      Map<Long, List<Long>> counts = h.collect(windowed.count());
      Map<Long, List<Integer>> sums = h.collect(numbers.reduceByWindow(Integer::sum, FOUR, TWO));
      Map<Long, List<Integer>> inverseSums =
          h.collect(numbers.reduceByWindow(Integer::sum, (a, b) -> a - b, FOUR, TWO));
      h.start();
      h.runBatches(6);
      assertThat(new TreeMap<>(windows).keySet(), contains(2L, 4L, 6L));
      assertThat(windows.get(2L), containsInAnyOrder(1, 2));
      assertThat(windows.get(4L), containsInAnyOrder(1, 2, 3, 4));
      assertThat(windows.get(6L), containsInAnyOrder(3, 4, 5, 6));
      assertThat(new TreeMap<>(counts).keySet(), contains(2L, 4L, 6L));
      assertThat(counts.get(6L), contains(4L));
      assertThat(sums.get(6L), contains(18));
      assertThat(inverseSums.get(2L), contains(3));
      assertThat(inverseSums.get(4L), contains(10));
      assertThat(inverseSums.get(6L), contains(18));
      assertThat(windowed.slideDuration(), equalTo(TWO));
    }
  }

  @Test
  void reduceByKeyAndWindowGivesTheSameCountsWithAndWithoutInverse() throws Exception {
    try (StreamingHarness h = new StreamingHarness(3)) {
      JavaPairDStream<String, Integer> words =
          h.queue(List.of("a", "b", "a"), List.of("b"), List.of("c"), List.of(), List.of(), List.of("a"))
              .mapToPair(w -> new Tuple2<>(w, 1));
      Map<Long, List<Tuple2<String, Integer>>> plain =
          h.collect(words.reduceByKeyAndWindow(Integer::sum, TWO, ONE));
      Map<Long, List<Tuple2<String, Integer>>> inverse =
          h.collect(words.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, TWO, ONE));
      Map<Long, List<Tuple2<String, Integer>>> filtered =
          h.collect(words.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, TWO, ONE, p -> p._2() > 0));
      h.start();
      h.runBatches(6);
      assertThat(asMap(plain.get(1L)), equalTo(Map.of("a", 2, "b", 1)));
      assertThat(asMap(plain.get(2L)), equalTo(Map.of("a", 2, "b", 2)));
      assertThat(asMap(plain.get(3L)), equalTo(Map.of("b", 1, "c", 1)));
      assertThat(asMap(plain.get(4L)), equalTo(Map.of("c", 1)));
      assertThat(plain.get(5L), empty());
      assertThat(asMap(plain.get(6L)), equalTo(Map.of("a", 1)));
      // With the inverse, keys whose count dropped to zero stay, as in Spark, unless filtered.
      assertThat(asMap(inverse.get(3L)), equalTo(Map.of("a", 0, "b", 1, "c", 1)));
      assertThat(asMap(inverse.get(5L)), equalTo(Map.of("a", 0, "b", 0, "c", 0)));
      assertThat(asMap(inverse.get(6L)), equalTo(Map.of("a", 1, "b", 0, "c", 0)));
      for (long batch = 1; batch <= 6; batch++) {
        assertThat("batch " + batch, asMap(filtered.get(batch)), equalTo(asMap(plain.get(batch))));
      }
    }
  }

  @Test
  void countByValueAndWindowAndGroupByKeyAndWindow() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaDStream<String> words = h.queue(List.of("x", "y"), List.of("x"), List.of(), List.of());
      Map<Long, List<Tuple2<String, Long>>> counts = h.collect(words.countByValueAndWindow(TWO, ONE));
      Map<Long, List<Tuple2<String, Iterable<Integer>>>> groups =
          h.collect(words.mapToPair(w -> new Tuple2<>(w, w.length())).groupByKeyAndWindow(TWO, ONE));
      h.start();
      h.runBatches(4);
      assertThat(asMap(counts.get(2L)), equalTo(Map.of("x", 2L, "y", 1L)));
      assertThat(asMap(counts.get(3L)), equalTo(Map.of("x", 1L)));
      // Counts of zero are filtered out, as Spark's countByValueAndWindow does.
      assertThat(counts.get(4L), empty());
      Map<String, Integer> sizes = new TreeMap<>();
      for (Tuple2<String, Iterable<Integer>> group : groups.get(2L)) {
        List<Integer> values = new ArrayList<>();
        group._2().forEach(values::add);
        sizes.put(group._1(), values.size());
      }
      assertThat(sizes, equalTo(Map.of("x", 2, "y", 1)));
    }
  }

  @Test
  void windowsThatAreNoMultipleOfTheBatchIntervalAreRefused() throws Exception {
    try (StreamingHarness h = new StreamingHarness(1)) {
      JavaDStream<Integer> numbers = h.queue(List.of(1));
      IllegalArgumentException window =
          assertThrows(IllegalArgumentException.class, () -> numbers.window(Durations.milliseconds(2_500), ONE));
      assertThat(window.getMessage(), containsString("2500 ms"));
      IllegalArgumentException slide =
          assertThrows(IllegalArgumentException.class, () -> numbers.window(FOUR, Durations.milliseconds(1_500)));
      assertThat(slide.getMessage(), containsString("1500 ms"));
      // A window of a windowed stream must be a multiple of that stream's slide.
      JavaDStream<Integer> windowed = numbers.window(FOUR, TWO);
      IllegalArgumentException nested =
          assertThrows(IllegalArgumentException.class, () -> windowed.window(FOUR, THREE));
      assertThat(nested.getMessage(), containsString("3000 ms"));
      assertThrows(IllegalArgumentException.class, () -> numbers.window(Durations.milliseconds(0), ONE));
    }
  }
}
