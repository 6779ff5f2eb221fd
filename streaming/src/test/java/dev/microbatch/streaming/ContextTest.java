package dev.microbatch.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.engine.StreamingFailedException;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context's lifecycle, its errors, outputs and listeners. */
class ContextTest {

  /** A user type: needs a registered codec to cross a shuffle. */
  record Point(int x, int y) {}

  @Test
  void aContextStartsOnceAndTakesNoStreamsAfterStart() throws Exception {
    try (StreamingHarness h = new StreamingHarness(1)) {
      JavaDStream<Integer> numbers = h.queue(List.of(1));
      IllegalStateException noOutput = assertThrows(IllegalStateException.class, h::start);
      assertThat(noOutput.getMessage(), containsString("No output operations"));
      numbers.print();
      h.start();
      IllegalStateException twice = assertThrows(IllegalStateException.class, h::start);
      assertThat(twice.getMessage(), containsString("already been started"));
      IllegalStateException late = assertThrows(IllegalStateException.class, numbers::print);
      assertThat(late.getMessage(), containsString("before start()"));
      assertThrows(IllegalStateException.class, () -> h.ssc().checkpoint("/tmp/never"));
    }
  }

  @Test
  void aTypeWithoutCodecFailsTheBatchNamingTheType() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      h.queue(List.of(1, 2)).mapToPair(i -> new Tuple2<>(new Point(i, i), 1)).reduceByKey(Integer::sum).print();
      h.start();
      h.clock().advance(StreamingHarness.INTERVAL);
      StreamingFailedException e = assertThrows(StreamingFailedException.class, h.ssc()::awaitTermination);
      Throwable cause = e.getCause();
      while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertThat(cause.getMessage(), containsString(Point.class.getName()));
      assertThat(cause.getMessage(), containsString("registerCodec"));
    }
  }

  @Test
  void aRegisteredCodecCarriesAUserTypeAcrossAShuffle() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      h.ssc()
          .registerCodec(
              Point.class,
              new StreamCodec<>() {
                @Override
                public void encode(Point value, DataOutput out) throws IOException {
                  out.writeInt(value.x());
                  out.writeInt(value.y());
                }

                @Override
                public Point decode(DataInput in) throws IOException {
                  return new Point(in.readInt(), in.readInt());
                }
              });
      Map<Long, List<Tuple2<Point, Integer>>> out =
          h.collect(
              h.queue(List.of(1, 2, 1)).mapToPair(i -> new Tuple2<>(new Point(i, -i), 1)).reduceByKey(Integer::sum));
      h.start();
      h.runBatches(1);
      assertThat(out.get(1L), containsInAnyOrder(new Tuple2<>(new Point(1, -1), 2), new Tuple2<>(new Point(2, -2), 1)));
    }
  }

  @Test
  void anExceptionInUserCodeFailsTheContextWithThatException() throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      h.queue(List.of(1, 2)).map(i -> {
        if (i == 2) {
          throw new IOException("no twos");
        }
        return i;
      }).print();
      h.start();
      h.clock().advance(StreamingHarness.INTERVAL);
      StreamingFailedException e = assertThrows(StreamingFailedException.class, h.ssc()::awaitTermination);
      Throwable cause = e.getCause();
      while (!(cause instanceof IOException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertThat(cause, instanceOf(IOException.class));
      assertThat(cause.getMessage(), equalTo("no twos"));
    }
  }

  @Test
  void aFailedBatchIsRetriedFromItsInputAndCountsOnce() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(2);
    try (StreamingHarness h = new StreamingHarness(2, 0, conf -> conf.withMaxBatchAttempts(3))) {
      JavaPairDStream<String, Integer> totals =
          h.queue(List.of("a", "a"), List.of("a"))
              .mapToPair(w -> new Tuple2<>(w, 1))
              .updateStateByKey(
                  (List<Integer> values, java.util.Optional<Integer> state) -> {
                    if (!values.isEmpty() && failuresLeft.getAndDecrement() > 0) {
                      throw new IllegalStateException("flaky");
                    }
                    return java.util.Optional.of(state.orElse(0) + values.size());
                  });
      Map<Long, List<Tuple2<String, Integer>>> out = h.collect(totals);
      h.start();
      h.runBatches(2);
      assertThat(out.get(1L), contains(new Tuple2<>("a", 2)));
      assertThat(out.get(2L), contains(new Tuple2<>("a", 3)));
    }
  }

  @Test
  void printWritesTheFirstElementsUnderTheBatchTime() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    try (StreamingHarness h = new StreamingHarness(1, 0, conf -> conf.withOut(out))) {
      h.queue(List.of(1, 2, 3), List.of()).print(2);
      h.start();
      h.runBatches(2);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(
        text,
        containsString(
            "-------------------------------------------\nTime: 1000 ms\n"
                + "-------------------------------------------\n1\n2\n...\n"));
    assertThat(text, containsString("Time: 2000 ms\n-------------------------------------------\n\n"));
  }

  @Test
  void saveAsTextFilesWritesOneDirectoryPerBatch(@TempDir Path dir) throws Exception {
    try (StreamingHarness h = new StreamingHarness(2)) {
      h.queue(List.of("x", "y", "z"), List.of()).saveAsTextFiles(dir.resolve("out").toString(), "txt");
      h.start();
      h.runBatches(2);
    }
    Path first = dir.resolve("out-1000.txt");
    List<String> lines = new java.util.ArrayList<>();
    try (var files = Files.list(first)) {
      // Hadoop's local file system keeps a hidden .crc file beside each part.
      for (Path part : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part));
      }
    }
    assertThat(lines, containsInAnyOrder("x", "y", "z"));
    assertThat(Files.isDirectory(dir.resolve("out-2000.txt")), equalTo(true));
    try (var entries = Files.list(dir)) {
      // No temporary directory is left behind.
      assertThat(
          entries.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList(),
          contains("out-1000.txt", "out-2000.txt"));
    }
  }

  @Test
  void listenersHearOfEveryCompletedBatch() throws Exception {
    List<BatchInfo> completed = new CopyOnWriteArrayList<>();
    try (StreamingHarness h = new StreamingHarness(2)) {
      h.ssc()
          .addStreamingListener(
              new StreamingListener() {
                @Override
                public void onBatchCompleted(BatchInfo batch) {
                  completed.add(batch);
                }
              });
      h.queue(List.of(1, 2, 3), List.of(4)).print();
      h.start();
      h.runBatches(2);
    }
    assertThat(completed.stream().map(BatchInfo::batchId).toList(), contains(1L, 2L));
    assertThat(completed.stream().map(BatchInfo::numRecords).toList(), contains(3L, 1L));
    assertThat(completed.get(0).batchTime(), equalTo(new Time(1000)));
  }
}
