package dev.microbatch.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Word count: read a text file, split lines into words, count per word, write the counts. */
final class WordCountPipeline {
  private WordCountPipeline() {}

  static void build(Pipeline pipeline, Path input, Path outputDir) {
    pipeline
        .apply("Read", TextIO.read().from(input.toString()))
        .apply(
            "Split",
            FlatMapElements.into(TypeDescriptors.strings())
                .via((String line) -> Arrays.asList(line.split(" "))))
        .apply("Count", Count.perElement())
        .apply(
            "Format",
            MapElements.into(TypeDescriptors.strings())
                .via((KV<String, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
        .apply("Write", TextIO.write().to(outputDir.resolve("part").toString()));
  }
}
