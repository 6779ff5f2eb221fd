package dev.microbatch.streaming.crash;

import dev.microbatch.streaming.BatchInfo;
import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaDStream;
import dev.microbatch.streaming.JavaDStreamLike;
import dev.microbatch.streaming.JavaMapWithStateDStream;
import dev.microbatch.streaming.JavaPairDStream;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.State;
import dev.microbatch.streaming.StateSpec;
import dev.microbatch.streaming.StreamingConf;
import dev.microbatch.streaming.StreamingListener;
import dev.microbatch.streaming.Tuple2;
import dev.microbatch.streaming.kafka.KafkaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The program the crash tests run in a child JVM and kill: words from a source (a queue of the
 * same data every run, a socket, or a directory of files), counted by every stateful operation.
 * Each output of each batch goes to its own file, {@code <out>/<operation>/<batch id>}, replaced
 * atomically, so after any number of crashes the files hold what the last run of each batch wrote.
 * Ends by itself, gracefully, once batch {@code stopAfter} completed.
 *
 * <p>Arguments: {@code queue|socket|files|kafka <checkpoint dir> <out dir> <interval ms> <stopAfter>
 * [port | input dir | bootstrap servers]}.
 */
public final class CrashChild {
  static final int QUEUE_BATCHES = 30;
  static final String KAFKA_TOPIC = "crash-words";

  private CrashChild() {}

  /** Batch i of the queue source: words w0..w(i mod 7), some twice. */
  static List<String> queueBatch(int i) {
    List<String> words = new ArrayList<>();
    for (int k = 0; k <= i % 7; k++) {
      words.add("w" + k);
      words.add("w" + (k * i % 5));
    }
    return words;
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String checkpoint = args[1];
    Path out = Path.of(args[2]);
    long interval = Long.parseLong(args[3]);
    long stopAfter = Long.parseLong(args[4]);
    Map<Long, Long> batchIdByTime = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(1);
    JavaStreamingContext ssc =
        JavaStreamingContext.getOrCreate(
            checkpoint,
            () -> {
              JavaStreamingContext context =
                  new JavaStreamingContext(
                      StreamingConf.of("crash-child", Durations.milliseconds(interval)).withParallelism(2));
              JavaDStream<String> lines =
                  switch (mode) {
                    case "queue" -> {
                      ConcurrentLinkedQueue<List<String>> queue = new ConcurrentLinkedQueue<>();
                      for (int i = 0; i < QUEUE_BATCHES; i++) {
                        queue.add(queueBatch(i));
                      }
                      yield context.queueStream(queue, true);
                    }
                    case "socket" -> context.socketTextStream("127.0.0.1", Integer.parseInt(args[5]));
                    case "files" -> context.textFileStream(args[5]);
                    case "kafka" ->
                        KafkaUtils.<String, String>createDirectStream(
                                context,
                                List.of(KAFKA_TOPIC),
                                Map.of(
                                    "bootstrap.servers", args[5],
                                    "key.deserializer", StringDeserializer.class,
                                    "value.deserializer", StringDeserializer.class,
                                    "auto.offset.reset", "earliest"),
                                // A few batches' worth each: kills land while the topic is being read.
                                40,
                                false)
                            .map(ConsumerRecord::value);
                    default -> throw new IllegalArgumentException("Unknown mode " + mode);
                  };
              build(lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator()), out, batchIdByTime);
              context.addStreamingListener(
                  new StreamingListener() {
                    @Override
                    public void onBatchSubmitted(BatchInfo batch) {
                      batchIdByTime.put(batch.batchTime().milliseconds(), batch.batchId());
                    }

                    @Override
                    public void onBatchCompleted(BatchInfo batch) {
                      System.out.println("COMPLETED " + batch.batchId());
                      if (batch.batchId() >= stopAfter) {
                        done.countDown();
                      }
                    }
                  });
              return context;
            });
    ssc.start();
    System.out.println("STARTED");
    done.await();
    ssc.stop(true);
    System.out.println("DONE");
    System.exit(0);
  }

  private static void build(JavaDStream<String> words, Path out, Map<Long, Long> batchIdByTime) {
    JavaPairDStream<String, Integer> ones = words.mapToPair(w -> new Tuple2<>(w, 1));
    write(
        ones.updateStateByKey(
            (List<Integer> values, Optional<Integer> state) -> Optional.of(state.orElse(0) + values.size())),
        out.resolve("updateStateByKey"),
        batchIdByTime);
    JavaMapWithStateDStream<String, Integer, Integer, String> mapped =
        ones.mapWithState(
            StateSpec.function(
                (String w, Optional<Integer> one, State<Integer> state) -> {
                  int next = state.getOption().orElse(0) + one.orElse(0);
                  state.update(next);
                  return w + "=" + next;
                }));
    write(mapped, out.resolve("mapWithState"), batchIdByTime);
    write(mapped.stateSnapshots(), out.resolve("mapWithState-snapshots"), batchIdByTime);
    write(
        ones.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, windowOf(words), slideOf(words)),
        out.resolve("reduceByKeyAndWindow"),
        batchIdByTime);
    write(words.countByWindow(windowOf(words), slideOf(words).times(2)), out.resolve("countByWindow"), batchIdByTime);
  }

  private static dev.microbatch.streaming.Duration windowOf(JavaDStream<String> words) {
    return words.slideDuration().times(4);
  }

  private static dev.microbatch.streaming.Duration slideOf(JavaDStream<String> words) {
    return words.slideDuration();
  }

  /** Writes each batch's elements, sorted, to {@code <dir>/<batch id>}, replacing it atomically. */
  private static <T> void write(JavaDStreamLike<T> stream, Path dir, Map<Long, Long> batchIdByTime) {
    stream.foreachRDD(
        (rdd, time) -> {
          Long batchId = batchIdByTime.get(time.milliseconds());
          List<String> lines = new ArrayList<>();
          for (T element : rdd.collect()) {
            lines.add(String.valueOf(element));
          }
          lines.sort(null);
          writeAtomically(dir, String.valueOf(batchId), lines);
        });
  }

  private static void writeAtomically(Path dir, String name, List<String> lines) throws IOException {
    Files.createDirectories(dir);
    Path temporary = Files.createTempFile(dir, "." + name, ".tmp");
    Files.write(temporary, lines);
    Files.move(temporary, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
