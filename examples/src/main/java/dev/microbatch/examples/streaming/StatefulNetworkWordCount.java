package dev.microbatch.examples.streaming;

import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaMapWithStateDStream;
import dev.microbatch.streaming.JavaPairRDD;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.State;
import dev.microbatch.streaming.StateSpec;
import dev.microbatch.streaming.Tuple2;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A running count of every word ever seen, updated with {@code mapWithState}: each batch prints
 * the words it saw with their new totals. Starts from an initial state (hello=1, world=1), as
 * Spark's JavaStatefulNetworkWordCount. Arguments: {@code <hostname> <port> <checkpoint directory>}.
 */
public final class StatefulNetworkWordCount {
  private StatefulNetworkWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("Usage: StatefulNetworkWordCount <hostname> <port> <checkpoint directory>");
      System.exit(1);
    }
    JavaStreamingContext ssc = new JavaStreamingContext("StatefulNetworkWordCount", Durations.seconds(1));
    ssc.checkpoint(args[2]);
    JavaPairRDD<String, Integer> initial =
        ssc.parallelizePairs(List.of(new Tuple2<>("hello", 1), new Tuple2<>("world", 1)));
    JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> totals =
        ssc.socketTextStream(args[0], Integer.parseInt(args[1]))
            .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
            .mapToPair(word -> new Tuple2<>(word, 1))
            .mapWithState(
                StateSpec.function(
                        (String word, Optional<Integer> one, State<Integer> state) -> {
                          int sum = one.orElse(0) + (state.exists() ? state.get() : 0);
                          state.update(sum);
                          return new Tuple2<>(word, sum);
                        })
                    .initialState(initial));
    totals.print();
    ExampleRun.run(ssc);
  }
}
