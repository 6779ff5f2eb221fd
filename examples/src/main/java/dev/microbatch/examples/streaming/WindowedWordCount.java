package dev.microbatch.examples.streaming;

import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaPairDStream;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.Tuple2;
import java.util.Arrays;

/**
 * Word counts over the last 30 seconds, every 10 seconds, kept up incrementally: each slide adds
 * the new batches and subtracts the ones that left the window ({@code reduceByKeyAndWindow} with
 * its inverse), and words whose count fell to 0 are dropped. Needs a checkpoint directory, as in
 * Spark. Arguments: {@code <hostname> <port> <checkpoint directory>}.
 */
public final class WindowedWordCount {
  private WindowedWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("Usage: WindowedWordCount <hostname> <port> <checkpoint directory>");
      System.exit(1);
    }
    JavaStreamingContext ssc = new JavaStreamingContext("WindowedWordCount", Durations.seconds(1));
    ssc.checkpoint(args[2]);
    JavaPairDStream<String, Integer> windowed =
        ssc.socketTextStream(args[0], Integer.parseInt(args[1]))
            .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
            .mapToPair(word -> new Tuple2<>(word, 1))
            .reduceByKeyAndWindow(
                Integer::sum, (a, b) -> a - b, Durations.seconds(30), Durations.seconds(10), pair -> pair._2() > 0);
    windowed.print();
    ExampleRun.run(ssc);
  }
}
