package dev.microbatch.examples.streaming;

import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaPairDStream;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.Tuple2;

/**
 * Joins two streams by key: ad impressions "adId user" from one TCP server and clicks "adId user"
 * from another, over the last 10 seconds of each (windows of the same slide), printing the
 * clicks with the impressions they follow. Arguments: {@code <hostname> <impressions port>
 * <clicks port>}.
 */
public final class StreamStreamJoin {
  private StreamStreamJoin() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("Usage: StreamStreamJoin <hostname> <impressions port> <clicks port>");
      System.exit(1);
    }
    JavaStreamingContext ssc = new JavaStreamingContext("StreamStreamJoin", Durations.seconds(1));
    JavaPairDStream<String, String> impressions = byAd(ssc, args[0], Integer.parseInt(args[1]));
    JavaPairDStream<String, String> clicks = byAd(ssc, args[0], Integer.parseInt(args[2]));
    impressions
        .window(Durations.seconds(10), Durations.seconds(1))
        .join(clicks.window(Durations.seconds(10), Durations.seconds(1)))
        .print();
    ExampleRun.run(ssc);
  }

  private static JavaPairDStream<String, String> byAd(JavaStreamingContext ssc, String host, int port) {
    return ssc.socketTextStream(host, port)
        .filter(line -> line.contains(" "))
        .mapToPair(line -> new Tuple2<>(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)));
  }
}
