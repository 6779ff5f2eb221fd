package dev.microbatch.streaming;

import static dev.microbatch.streaming.Pairs.asMap;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The element-wise and per-batch operations, batch by batch on a manual clock. */
class TransformationsTest {


  @Test
  void mapFlatMapFilterAndMapPartitionsWorkPerElement() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaDStream<String> lines = h.queue(List.of("a b", "c"), List.of(), List.of("d e f"));
      Map<Long, List<String>> words = h.collect(lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator()));
      Map<Long, List<Integer>> lengths = h.collect(lines.map(String::length));
      Map<Long, List<String>> longLines = h.collect(lines.filter(l -> l.length() > 1));
      Map<Long, List<Integer>> partitionSizes =
          h.collect(
              lines.mapPartitions(
                  it -> {
                    int n = 0;
                    while (it.hasNext()) {
                      it.next();
                      n++;
                    }
                    return List.of(n).iterator();
                  }));
      h.start();
      h.runBatches(3);
      assertThat(words.get(1L), containsInAnyOrder("a", "b", "c"));
      assertThat(words.get(2L), empty());
      assertThat(words.get(3L), containsInAnyOrder("d", "e", "f"));
      assertThat(lengths.get(1L), containsInAnyOrder(3, 1));
      assertThat(longLines.get(3L), contains("d e f"));
      // One size per partition, summing to the batch.
      assertThat(partitionSizes.get(1L).size(), equalTo(2));
      assertThat(partitionSizes.get(1L).stream().mapToInt(Integer::intValue).sum(), equalTo(2));
    }
  }

  @Test
  void countEmitsOneValuePerBatchIncludingZero() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaDStream<Integer> numbers = h.queue(List.of(1, 2, 3), List.of(), List.of(4));
      Map<Long, List<Long>> counts = h.collect(numbers.count());
      Map<Long, List<Integer>> sums = h.collect(numbers.reduce(Integer::sum));
      h.start();
      h.runBatches(3);
      assertThat(counts.get(1L), contains(3L));
      assertThat(counts.get(2L), contains(0L));
      assertThat(counts.get(3L), contains(1L));
      assertThat(sums.get(1L), contains(6));
      // reduce of an empty batch has no value at all.
      assertThat(sums.get(2L), empty());
      assertThat(sums.get(3L), contains(4));
    }
  }

  @Test
  void byKeyOperationsMeetEveryValueOfAKeyAcrossPartitions() throws Exception {
    try (StreamingHarness h = new StreamingHarness(3)) {
      JavaPairDStream<String, Integer> pairs =
          h.queue(List.of("a", "b", "a", "c", "a", "b"), List.of("z"))
              .mapToPair(w -> new Tuple2<>(w, 1));
      Map<Long, List<Tuple2<String, Integer>>> reduced = h.collect(pairs.reduceByKey(Integer::sum));
      Map<Long, List<Tuple2<String, Iterable<Integer>>>> grouped = h.collect(pairs.groupByKey());
      Map<Long, List<Tuple2<String, List<Integer>>>> combined =
          h.collect(
              pairs.combineByKey(
                  v -> new ArrayList<>(List.of(v)),
                  (c, v) -> {
                    c.add(v);
                    return c;
                  },
                  (c1, c2) -> {
                    List<Integer> all = new ArrayList<>(c1);
                    all.addAll(c2);
                    return all;
                  }));
      Map<Long, List<Tuple2<String, Long>>> byValue = h.collect(pairs.map(Tuple2::_1).countByValue());
      Map<Long, List<Tuple2<String, Integer>>> doubled = h.collect(pairs.mapValues(v -> v * 2));
      Map<Long, List<Tuple2<String, Integer>>> spread =
          h.collect(pairs.flatMapValues(v -> List.of(v, v + 10).iterator()));
      h.start();
      h.runBatches(2);
      assertThat(asMap(reduced.get(1L)), equalTo(Map.of("a", 3, "b", 2, "c", 1)));
      assertThat(asMap(reduced.get(2L)), equalTo(Map.of("z", 1)));
      Map<String, Integer> groupSizes = new TreeMap<>();
      for (Tuple2<String, Iterable<Integer>> group : grouped.get(1L)) {
        int n = 0;
        for (Integer ignored : group._2()) {
          n++;
        }
        groupSizes.put(group._1(), n);
      }
      assertThat(groupSizes, equalTo(Map.of("a", 3, "b", 2, "c", 1)));
      Map<String, Integer> combinedSizes = new TreeMap<>();
      combined.get(1L).forEach(t -> combinedSizes.put(t._1(), t._2().size()));
      assertThat(combinedSizes, equalTo(Map.of("a", 3, "b", 2, "c", 1)));
      assertThat(asMap(byValue.get(1L)), equalTo(Map.of("a", 3L, "b", 2L, "c", 1L)));
      assertThat(doubled.get(2L), contains(new Tuple2<>("z", 2)));
      assertThat(spread.get(2L), containsInAnyOrder(new Tuple2<>("z", 1), new Tuple2<>("z", 11)));
    }
  }

  @Test
  void unionRepartitionAndTransformSeeWholeBatches() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaDStream<Integer> a = h.queue(List.of(1, 2), List.of(5));
      JavaDStream<Integer> b = h.queue(List.of(3), List.of());
      Map<Long, List<Integer>> union = h.collect(a.union(b));
      Map<Long, List<Integer>> union2 = h.collect(h.ssc().union(a, b));
      Map<Long, List<Integer>> repartitioned = h.collect(a.union(b).repartition(5));
      Map<Long, List<Integer>> sortedDescending =
          h.collect(
              a.transform(
                  rdd -> {
                    List<Integer> all = new ArrayList<>(rdd.collect());
                    all.sort((x, y) -> y - x);
                    return h.ssc().parallelize(all);
                  }));
      Map<Long, List<Tuple2<Long, Integer>>> withTime =
          h.collect(a.transformToPair((rdd, time) -> rdd.mapToPair(x -> new Tuple2<>(time.milliseconds(), x))));
      h.start();
      h.runBatches(2);
      assertThat(union.get(1L), containsInAnyOrder(1, 2, 3));
      assertThat(union.get(2L), contains(5));
      assertThat(union2.get(1L), containsInAnyOrder(1, 2, 3));
      assertThat(repartitioned.get(1L), containsInAnyOrder(1, 2, 3));
      assertThat(sortedDescending.get(1L), contains(2, 1));
      assertThat(withTime.get(2L), contains(new Tuple2<>(2_000L, 5)));
    }
  }

  @Test
  void aStreamTableJoinUsesTransformWithAStaticDataset() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      JavaPairRDD<String, String> table =
          h.ssc().parallelizePairs(List.of(new Tuple2<>("u1", "Alice"), new Tuple2<>("u2", "Bob")));
      JavaPairDStream<String, Integer> clicks =
          h.queue(List.of("u1", "u3", "u1")).mapToPair(u -> new Tuple2<>(u, 1));
      Map<Long, List<Tuple2<String, Tuple2<Integer, String>>>> joined =
          h.collect(clicks.transformToPair(rdd -> JavaPairRDD.fromJavaRDD(rdd).join(table)));
      h.start();
      h.runBatches(1);
      assertThat(
          joined.get(1L),
          containsInAnyOrder(
              new Tuple2<>("u1", new Tuple2<>(1, "Alice")), new Tuple2<>("u1", new Tuple2<>(1, "Alice"))));
    }
  }
}
