package dev.microbatch.examples.streaming;

import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.Tuple2;
import java.util.Arrays;

/**
 * Word counts of the files that appear in a directory of any Hadoop file system (a local path,
 * {@code hdfs://...}), each file once, as Spark's HdfsWordCount. Move finished files in. Argument:
 * {@code <directory>}.
 */
public final class HdfsWordCount {
  private HdfsWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("Usage: HdfsWordCount <directory>");
      System.exit(1);
    }
    JavaStreamingContext ssc = new JavaStreamingContext("HdfsWordCount", Durations.seconds(2));
    ssc.textFileStream(args[0])
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(word -> new Tuple2<>(word, 1))
        .reduceByKey(Integer::sum)
        .print();
    ExampleRun.run(ssc);
  }
}
