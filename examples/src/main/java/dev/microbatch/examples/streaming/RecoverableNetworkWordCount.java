package dev.microbatch.examples.streaming;

import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.Tuple2;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Running word counts that survive a crash: {@code getOrCreate} builds the graph, and on a restart
 * with the same checkpoint directory the counts and the lines received but not yet counted (the
 * socket's write-ahead log) come back. Each batch's counts are appended to an output file, as
 * Spark's JavaRecoverableNetworkWordCount. Arguments: {@code <hostname> <port> <checkpoint
 * directory> <output file>}.
 */
public final class RecoverableNetworkWordCount {
  private RecoverableNetworkWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("Usage: RecoverableNetworkWordCount <hostname> <port> <checkpoint directory> <output file>");
      System.exit(1);
    }
    Path output = Path.of(args[3]);
    JavaStreamingContext ssc =
        JavaStreamingContext.getOrCreate(
            args[2],
            () -> {
              JavaStreamingContext context = new JavaStreamingContext("RecoverableNetworkWordCount", Durations.seconds(1));
              context.checkpoint(args[2]);
              context
                  .socketTextStream(args[0], Integer.parseInt(args[1]))
                  .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
                  .mapToPair(word -> new Tuple2<>(word, 1))
                  .updateStateByKey(
                      (List<Integer> ones, Optional<Integer> total) -> Optional.of(total.orElse(0) + ones.size()))
                  .foreachRDD(
                      (rdd, time) -> {
                        String line = "Counts at time " + time + " " + rdd.collect() + "\n";
                        System.out.print(line);
                        Files.writeString(
                            output, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                      });
              return context;
            });
    ExampleRun.run(ssc);
  }
}
