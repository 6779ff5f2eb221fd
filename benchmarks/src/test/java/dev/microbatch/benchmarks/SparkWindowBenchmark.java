package dev.microbatch.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.dstream.ConstantInputDStream;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * The windowed word count on Spark Streaming (local mode, 2 cores, from Maven jars) beside the
 * same job on the MicroBatch DStream API, in one invocation: {@code reduceByKeyAndWindow} over 60
 * slides with its inverse, a warm-up round of each first (not counted), then rounds of both. The
 * same batch of words every batch (Spark's ConstantInputDStream; that batch queued again and again
 * on ours); both checkpoint (Spark requires it for the inverse and saves the state every 10th
 * batch; ours saves every batch). Spark's figure is words per second of its batches' processing
 * time (its batches run on a real clock, every 100 ms, and wait between); ours is words per second
 * of batches run back to back, all included. Run with {@code mvn -B -q -pl benchmarks -Pspark
 * test-compile exec:exec}; system properties {@code benchmark.elements} (words per batch, 20,000),
 * {@code benchmark.vocabulary} (10,000), {@code benchmark.batches} (timed batches, 60), {@code
 * benchmark.rounds} (3).
 */
public final class SparkWindowBenchmark {
  private static final int WINDOW = DStreamWindowBenchmark.WINDOW;

  private SparkWindowBenchmark() {}

  public static void main(String[] args) throws Exception {
    int perBatch = Integer.getInteger("benchmark.elements", 20_000);
    int vocabulary = Integer.getInteger("benchmark.vocabulary", 10_000);
    int measured = Integer.getInteger("benchmark.batches", 60);
    int rounds = Integer.getInteger("benchmark.rounds", 3);
    List<String> batch = DStreamWindowBenchmark.words(perBatch, vocabulary, new Random(42));
    List<List<String>> batches = new ArrayList<>();
    for (int b = 0; b < WINDOW + measured; b++) {
      batches.add(batch);
    }
    System.out.printf(
        "windowed word count with inverse, window %d x slide, %,d words per batch from %,d, %d timed batches%n",
        WINDOW, perBatch, vocabulary, measured);
    List<Double> ratios = new ArrayList<>();
    // A warm-up round first, not counted: both pay for the JIT in it.
    for (int round = 0; round <= rounds; round++) {
      Path dir = Files.createTempDirectory("spark-window");
      double spark = spark(batch, measured, dir.resolve("spark").toString());
      double ours = DStreamWindowBenchmark.once(batches, measured, true, dir.resolve("ours").toString());
      if (round == 0) {
        continue;
      }
      ratios.add(ours / spark);
      System.out.printf(
          "round %d: Spark Streaming %,12.0f words/s | MicroBatch streaming %,12.0f words/s | %.2fx%n",
          round, spark, ours, ours / spark);
    }
    ratios.sort(null);
    System.out.printf("median MicroBatch / Spark: %.2fx%n", ratios.get(ratios.size() / 2));
  }

  private static double spark(List<String> batch, int measured, String checkpoint) throws Exception {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName("spark-window")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.streaming.stopGracefullyOnShutdown", "false");
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(100));
    ssc.checkpoint(checkpoint);
    JavaRDD<String> rdd = ssc.sparkContext().parallelize(batch, 2).cache();
    JavaDStream<String> words =
        new JavaDStream<>(
            new ConstantInputDStream<>(ssc.ssc(), rdd.rdd(), ClassTag$.MODULE$.apply(String.class)),
            ClassTag$.MODULE$.apply(String.class));
    JavaPairDStream<String, Integer> counts =
        words
            .mapToPair(w -> new Tuple2<>(w, 1))
            .reduceByKeyAndWindow(
                Integer::sum,
                (a, b) -> a - b,
                Durations.milliseconds(100L * WINDOW),
                Durations.milliseconds(100));
    AtomicLong checksum = new AtomicLong();
    counts.foreachRDD(r -> checksum.addAndGet(r.count()));
    AtomicLong batches = new AtomicLong();
    AtomicLong processingMillis = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
            long n = batches.incrementAndGet();
            if (n > WINDOW && n <= WINDOW + measured) {
              processingMillis.addAndGet((Long) completed.batchInfo().processingDelay().get());
            }
            if (n == WINDOW + measured) {
              done.countDown();
            }
          }
        });
    ssc.start();
    done.await();
    ssc.stop(true, false);
    if (checksum.get() == 0) {
      throw new IllegalStateException("Spark's windows were empty");
    }
    return (double) batch.size() * measured / (processingMillis.get() / 1000.0);
  }
}
