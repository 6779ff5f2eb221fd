package dev.microbatch.examples.streaming;

import dev.microbatch.streaming.Durations;
import dev.microbatch.streaming.JavaStreamingContext;
import dev.microbatch.streaming.Tuple2;
import dev.microbatch.streaming.kafka.KafkaUtils;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Word counts of each 2-second batch of a Kafka topic's messages, read with the direct stream
 * (no receiver), as Spark's JavaDirectKafkaWordCount. Arguments: {@code <bootstrap servers>
 * <group id> <topics, comma separated>}.
 */
public final class KafkaWordCount {
  private KafkaWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("Usage: KafkaWordCount <bootstrap servers> <group id> <topics>");
      System.exit(1);
    }
    JavaStreamingContext ssc = new JavaStreamingContext("KafkaWordCount", Durations.seconds(2));
    Map<String, Object> kafkaParams =
        Map.of(
            "bootstrap.servers", args[0],
            "group.id", args[1],
            "key.deserializer", StringDeserializer.class,
            "value.deserializer", StringDeserializer.class,
            "auto.offset.reset", "earliest");
    KafkaUtils.<String, String>createDirectStream(ssc, Arrays.asList(args[2].split(",")), kafkaParams)
        .map(ConsumerRecord::value)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(word -> new Tuple2<>(word, 1))
        .reduceByKey(Integer::sum)
        .print();
    ExampleRun.run(ssc);
  }
}
