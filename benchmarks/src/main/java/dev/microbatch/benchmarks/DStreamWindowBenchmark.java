package dev.microbatch.benchmarks;

import dev.microbatch.engine.time.ManualClock;
import dev.microbatch.streaming.BatchInfo;
import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaDStream;
import dev.microbatch.streaming.JavaPairDStream;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.StreamingConf;
import dev.microbatch.streaming.StreamingListener;
import dev.microbatch.streaming.Tuple2;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The streaming API's windowed word count, {@code reduceByKeyAndWindow} over a window of 60
 * slides (slide = batch interval), with its inverse function and without, on the same input in
 * the same JVM (A B A B...). Batches run back to back: a manual clock moves one interval as soon
 * as a batch completes, so the figures are records per second of processing, not of an interval.
 * Each run has 60 warm-up batches that fill the window (not timed), then {@code measured} timed
 * batches of {@code perBatch} words drawn from {@code vocabulary} words.
 */
final class DStreamWindowBenchmark {
  static final int WINDOW = 60;

  private DStreamWindowBenchmark() {}

  static String run(int perBatch, int vocabulary, int measured, int rounds) throws Exception {
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "DStream windowed word count: window %d batches, slide 1, %,d words per batch from %,d, %d timed batches%n",
            WINDOW, perBatch, vocabulary, measured));
    List<Double> ratios = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      double plain = once(perBatch, vocabulary, measured, false);
      double inverse = once(perBatch, vocabulary, measured, true);
      ratios.add(inverse / plain);
      report.append(
          String.format(
              "round %d: without inverse %,12.0f words/s | with inverse %,12.0f words/s | %.2fx%n",
              round, plain, inverse, inverse / plain));
    }
    ratios.sort(null);
    report.append(String.format("median speed-up of the inverse: %.2fx%n", ratios.get(ratios.size() / 2)));
    return report.toString();
  }

  private static double once(int perBatch, int vocabulary, int measured, boolean inverse) throws Exception {
    Random random = new Random(42);
    List<List<String>> batches = new ArrayList<>();
    for (int b = 0; b < WINDOW + measured; b++) {
      batches.add(words(perBatch, vocabulary, random));
    }
    return once(batches, measured, inverse, null);
  }

  /** {@code count} words drawn uniformly from {@code vocabulary}. */
  static List<String> words(int count, int vocabulary, Random random) {
    List<String> words = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      words.add("word" + random.nextInt(vocabulary));
    }
    return words;
  }

  /**
   * Words per second of the timed batches ({@code batches} after the first {@link #WINDOW}), with
   * checkpoints into {@code checkpointDir} when it is not null.
   */
  static double once(List<List<String>> batches, int measured, boolean inverse, String checkpointDir) throws Exception {
    int perBatch = batches.get(0).size();
    ManualClock clock = new ManualClock(0);
    JavaStreamingContext ssc =
        new JavaStreamingContext(
            StreamingConf.of("dstream-window-" + (inverse ? "inverse" : "plain"), Durations.seconds(1)).withClock(clock));
    if (checkpointDir != null) {
      ssc.checkpoint(checkpointDir);
    }
    ConcurrentLinkedQueue<List<String>> queue = new ConcurrentLinkedQueue<>(batches);
    JavaDStream<String> words = ssc.queueStream(queue, true);
    JavaPairDStream<String, Integer> ones = words.mapToPair(w -> new Tuple2<>(w, 1));
    Function<JavaPairDStream<String, Integer>, JavaPairDStream<String, Integer>> window =
        inverse
            ? s -> s.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, Durations.seconds(WINDOW), Durations.seconds(1))
            : s -> s.reduceByKeyAndWindow(Integer::sum, Durations.seconds(WINDOW), Durations.seconds(1));
    AtomicLong checksum = new AtomicLong();
    window.apply(ones).foreachRDD(rdd -> checksum.addAndGet(rdd.count()));
    AtomicLong completed = new AtomicLong();
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            synchronized (completed) {
              completed.incrementAndGet();
              completed.notifyAll();
            }
          }
        });
    ssc.start();
    long startNanos = 0;
    for (int b = 1; b <= WINDOW + measured; b++) {
      if (b == WINDOW + 1) {
        startNanos = System.nanoTime();
      }
      clock.advance(1_000);
      synchronized (completed) {
        while (completed.get() < b) {
          completed.wait(100);
        }
      }
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    ssc.stop(false);
    if (checksum.get() == 0) {
      throw new IllegalStateException("The windows were empty");
    }
    return (double) perBatch * measured / seconds;
  }
}
