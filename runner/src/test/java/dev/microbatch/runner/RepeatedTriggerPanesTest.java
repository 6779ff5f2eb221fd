package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * A global window fired after every element ({@code Repeatedly.forever(elementCountAtLeast(1))},
 * accumulating), as Nexmark's query 6 does: how many panes fire depends on how the input is cut,
 * but every pane must hold input the one before it did not, so with positive inputs an
 * accumulated sum grows from pane to pane and the last pane holds the whole sum. A final pane that
 * repeats the one before (nothing new arrived) is a duplicate result.
 */
public class RepeatedTriggerPanesTest {

  @Rule
  public final transient TestPipeline pipeline =
      TestPipeline.fromOptions(PipelineOptionsFactory.fromArgs("--runner=MicroBatchRunner").create());

  /** Each fired pane as "key index value". */
  static final class DescribePane extends DoFn<KV<String, Integer>, KV<String, KV<Long, Integer>>> {
    @ProcessElement
    public void process(
        @Element KV<String, Integer> sum, PaneInfo pane, OutputReceiver<KV<String, KV<Long, Integer>>> out) {
      out.output(KV.of(sum.getKey(), KV.of(pane.getIndex(), sum.getValue())));
    }
  }

  @Test
  public void everyPaneOfARepeatedCountTriggerHoldsNewInput() {
    List<KV<String, Integer>> input = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      input.add(KV.of("k" + (i % 3), i));
    }
    PCollection<KV<String, KV<Long, Integer>>> panes =
        pipeline
            .apply(Create.of(input))
            .apply(
                Window.<KV<String, Integer>>into(new GlobalWindows())
                    .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                    .accumulatingFiredPanes()
                    .withAllowedLateness(Duration.ZERO))
            .apply(Combine.perKey(Sum.ofIntegers()))
            .apply(ParDo.of(new DescribePane()));

    PAssert.that(panes)
        .satisfies(
            all -> {
              Map<String, TreeMap<Long, Integer>> byKey = new TreeMap<>();
              int count = 0;
              for (KV<String, KV<Long, Integer>> p : all) {
                byKey.computeIfAbsent(p.getKey(), k -> new TreeMap<>())
                    .put(p.getValue().getKey(), p.getValue().getValue());
                count++;
              }
              // No two panes of a key share an index.
              assertThat(count, is(byKey.values().stream().mapToInt(Map::size).sum()));
              assertThat(byKey.keySet(), contains("k0", "k1", "k2"));
              Map<String, Integer> totals = Map.of("k0", 165, "k1", 145, "k2", 155);
              for (Map.Entry<String, TreeMap<Long, Integer>> key : byKey.entrySet()) {
                int previous = 0;
                for (int sum : key.getValue().values()) {
                  assertThat(key.getKey() + " panes " + key.getValue() + " must each add input", sum > previous, is(true));
                  previous = sum;
                }
                assertThat(key.getKey() + " last pane", previous, is(totals.get(key.getKey())));
              }
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
