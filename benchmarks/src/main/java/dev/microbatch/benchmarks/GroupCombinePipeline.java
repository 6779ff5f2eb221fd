package dev.microbatch.benchmarks;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.Mean;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A GroupByKey/Combine-heavy pipeline: generated keyed longs, grouped by key (GroupByKey, then a
 * sum over the grouped values), combined per key in fixed event-time windows (Sum, Max, Mean with
 * combiner lifting), and combined globally; every result is written as text.
 */
final class GroupCombinePipeline {
  private GroupCombinePipeline() {}

  static void build(Pipeline pipeline, long elements, int keys, Path outputDir) {
    PCollection<KV<Long, Long>> keyed =
        pipeline
            .apply("Generate", GenerateSequence.from(0).to(elements))
            .apply(
                "Key",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                    .via((Long i) -> KV.of((i * 7919) % keys, i)));

    PCollection<String> grouped =
        keyed
            .apply("GroupByKey", GroupByKey.create())
            .apply(
                "SumGroups",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (KV<Long, Iterable<Long>> kv) -> {
                          long sum = 0;
                          long count = 0;
                          for (long v : kv.getValue()) {
                            sum += v;
                            count++;
                          }
                          return "gbk\t" + kv.getKey() + "\t" + sum + "\t" + count;
                        }));

    PCollection<KV<Long, Long>> windowed =
        keyed
            .apply("Timestamp", WithTimestamps.of((KV<Long, Long> kv) -> new Instant(kv.getValue())))
            .apply("Window", Window.into(FixedWindows.of(Duration.millis(elements / 10 + 1))));
    PCollection<String> sums = format(windowed.apply("SumPerKey", Sum.longsPerKey()), "sum");
    PCollection<String> maxes = format(windowed.apply("MaxPerKey", Max.longsPerKey()), "max");
    PCollection<String> means =
        windowed
            .apply("MeanPerKey", Mean.perKey())
            .apply(
                "FormatMean",
                MapElements.into(TypeDescriptors.strings())
                    .via((KV<Long, Double> kv) -> "mean\t" + kv.getKey() + "\t" + kv.getValue()));
    PCollection<String> total =
        keyed
            .apply("Values", MapElements.into(TypeDescriptors.longs()).via(KV::getValue))
            .apply("SumAll", Combine.globally(Sum.ofLongs()))
            .apply("FormatTotal", MapElements.into(TypeDescriptors.strings()).via(s -> "total\t" + s));

    // Windowed results go back to the global window to be written with the others.
    PCollectionList.of(grouped)
        .and(global(sums, "sum"))
        .and(global(maxes, "max"))
        .and(global(means, "mean"))
        .and(total)
        .apply(Flatten.pCollections())
        .apply("Write", TextIO.write().to(outputDir.resolve("part").toString()));
  }

  private static PCollection<String> global(PCollection<String> windowed, String label) {
    return windowed.apply("Global" + label, Window.into(new GlobalWindows()));
  }

  private static PCollection<String> format(PCollection<KV<Long, Long>> input, String label) {
    return input.apply(
        "Format" + label,
        MapElements.into(TypeDescriptors.strings())
            .via((KV<Long, Long> kv) -> label + "\t" + kv.getKey() + "\t" + kv.getValue()));
  }
}
