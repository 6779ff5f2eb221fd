package dev.microbatch.examples.streaming;

import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaDStream;
import dev.microbatch.streaming.JavaPairDStream;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.Tuple2;
import java.util.Arrays;

/**
 * Counts the words of each second of text from a TCP server, as Spark's JavaNetworkWordCount.
 * Start a server with {@code nc -lk 9999}, then run with arguments {@code localhost 9999} and type.
 */
public final class NetworkWordCount {
  private NetworkWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("Usage: NetworkWordCount <hostname> <port>");
      System.exit(1);
    }
    JavaStreamingContext ssc = new JavaStreamingContext("NetworkWordCount", Durations.seconds(1));
    JavaDStream<String> lines = ssc.socketTextStream(args[0], Integer.parseInt(args[1]));
    JavaDStream<String> words = lines.flatMap(line -> Arrays.asList(line.split(" ")).iterator());
    JavaPairDStream<String, Integer> counts =
        words.mapToPair(word -> new Tuple2<>(word, 1)).reduceByKey(Integer::sum);
    counts.print();
    ExampleRun.run(ssc);
  }
}
