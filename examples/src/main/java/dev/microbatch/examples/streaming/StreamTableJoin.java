package dev.microbatch.examples.streaming;

import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaPairRDD;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.Tuple2;
import java.util.List;

/**
 * Joins each batch of a stream with a static table through {@code transform}: lines "user page"
 * from a TCP server are enriched with the user's country, and lines of unknown users are kept
 * with "unknown" (a left outer join). Arguments: {@code <hostname> <port>}.
 */
public final class StreamTableJoin {
  private StreamTableJoin() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("Usage: StreamTableJoin <hostname> <port>");
      System.exit(1);
    }
    JavaStreamingContext ssc = new JavaStreamingContext("StreamTableJoin", Durations.seconds(1));
    JavaPairRDD<String, String> countries =
        ssc.parallelizePairs(
            List.of(new Tuple2<>("alice", "NL"), new Tuple2<>("bob", "FR"), new Tuple2<>("carol", "JP")));
    ssc.socketTextStream(args[0], Integer.parseInt(args[1]))
        .filter(line -> line.contains(" "))
        .mapToPair(line -> new Tuple2<>(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)))
        .transformToPair(clicks -> JavaPairRDD.fromJavaRDD(clicks).leftOuterJoin(countries))
        .mapValues(pageAndCountry -> pageAndCountry._1() + " from " + pageAndCountry._2().orElse("unknown"))
        .print();
    ExampleRun.run(ssc);
  }
}
