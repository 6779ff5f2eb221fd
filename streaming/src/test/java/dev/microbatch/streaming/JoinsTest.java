package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stream-stream joins and cogroup, batch by batch, with keys on one side only. */
class JoinsTest {

  @Test
  void joinsPairValuesOfTheSameBatchAndKey() throws Exception {
    try (StreamingHarness h = new StreamingHarness(3)) {
      JavaPairDStream<String, Integer> left =
          h.queue(List.of("a:1", "a:2", "b:3"), List.of("c:4"), List.of()).mapToPair(JoinsTest::pair);
      JavaPairDStream<String, Integer> right =
          h.queue(List.of("a:10", "d:40"), List.of(), List.of("a:20")).mapToPair(JoinsTest::pair);
      Map<Long, List<Tuple2<String, Tuple2<Integer, Integer>>>> inner = h.collect(left.join(right));
      Map<Long, List<Tuple2<String, Tuple2<Integer, Optional<Integer>>>>> leftOuter =
          h.collect(left.leftOuterJoin(right));
      Map<Long, List<Tuple2<String, Tuple2<Optional<Integer>, Integer>>>> rightOuter =
          h.collect(left.rightOuterJoin(right));
      Map<Long, List<Tuple2<String, Tuple2<Optional<Integer>, Optional<Integer>>>>> fullOuter =
          h.collect(left.fullOuterJoin(right));
      Map<Long, List<Tuple2<String, Tuple2<Iterable<Integer>, Iterable<Integer>>>>> cogrouped =
          h.collect(left.cogroup(right));
      h.start();
      h.runBatches(3);
      assertThat(inner.get(1L), containsInAnyOrder(t("a", 1, 10), t("a", 2, 10)));
      assertThat(inner.get(2L), empty());
      assertThat(inner.get(3L), empty());
      assertThat(
          leftOuter.get(1L),
          containsInAnyOrder(
              t("a", 1, Optional.of(10)), t("a", 2, Optional.of(10)), t("b", 3, Optional.empty())));
      assertThat(leftOuter.get(2L), containsInAnyOrder(t("c", 4, Optional.empty())));
      assertThat(
          rightOuter.get(1L),
          containsInAnyOrder(
              t("a", Optional.of(1), 10), t("a", Optional.of(2), 10), t("d", Optional.empty(), 40)));
      assertThat(rightOuter.get(3L), containsInAnyOrder(t("a", Optional.empty(), 20)));
      assertThat(
          fullOuter.get(1L),
          containsInAnyOrder(
              t("a", Optional.of(1), Optional.of(10)),
              t("a", Optional.of(2), Optional.of(10)),
              t("b", Optional.of(3), Optional.empty()),
              t("d", Optional.empty(), Optional.of(40))));
      List<String> groups = new ArrayList<>();
      for (Tuple2<String, Tuple2<Iterable<Integer>, Iterable<Integer>>> group : cogrouped.get(1L)) {
        groups.add(group._1() + "=" + list(group._2()._1()) + list(group._2()._2()));
      }
      assertThat(groups, containsInAnyOrder("a=[1, 2][10]", "b=[3][]", "d=[][40]"));
    }
  }

  @Test
  void joiningStreamsOfDifferentSlidesIsRefused() throws Exception {
    try (StreamingHarness h = new StreamingHarness(1)) {
      JavaPairDStream<String, Integer> a = h.queue(List.of("a:1")).mapToPair(JoinsTest::pair);
      JavaPairDStream<String, Integer> windowed = a.window(Durations.seconds(2), Durations.seconds(2));
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> a.join(windowed));
      assertThat(List.of(e.getMessage()), containsInAnyOrder(org.hamcrest.Matchers.containsString("same slide")));
    }
  }

  private static Tuple2<String, Integer> pair(String text) {
    String[] parts = text.split(":");
    return new Tuple2<>(parts[0], Integer.parseInt(parts[1]));
  }

  private static <A, B> Tuple2<String, Tuple2<A, B>> t(String key, A a, B b) {
    return new Tuple2<>(key, new Tuple2<>(a, b));
  }

  private static List<Integer> list(Iterable<Integer> values) {
    List<Integer> all = new ArrayList<>();
    values.forEach(all::add);
    all.sort(null);
    return all;
  }
}
