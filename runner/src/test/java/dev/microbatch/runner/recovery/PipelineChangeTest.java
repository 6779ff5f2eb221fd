package dev.microbatch.runner.recovery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microbatch.runner.MicroBatchRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline started on a checkpoint another pipeline wrote fails before anything runs, with one
 * error listing every difference; {@code --allowNonRestoredState} starts from what still matches.
 */
class PipelineChangeTest {
  @TempDir Path checkpoints;

  @BeforeEach
  void writeCheckpointOfTheOriginal() {
    run(build("Sum", new SumPerKey<Long>(), false, false), 2, false);
  }

  @Test
  void renamedStatefulTransform() {
    String message = failure(build("Total", new SumPerKey<Long>(), false, false), 2);
    assertThat(message, containsString("stateful transform 'Sum/ParMultiDo(SumPerKey)' is in the checkpoint but not in this pipeline"));
    assertThat(message, containsString("stateful transform 'Total/ParMultiDo(SumPerKey)' is new"));
  }

  @Test
  void removedStatefulTransform() {
    String message = failure(build(null, null, false, false), 2);
    assertThat(message, containsString("'Sum/ParMultiDo(SumPerKey)' is in the checkpoint but not in this pipeline"));
  }

  @Test
  void addedStatefulTransform() {
    String message = failure(build("Sum", new SumPerKey<Long>(), true, false), 2);
    assertThat(message, containsString("stateful transform 'Extra/ParMultiDo(LastValue)' is new"));
    assertThat(message, not(containsString("'Sum/ParMultiDo(SumPerKey)' changed")));
  }

  @Test
  void changedStateCoder() {
    String message = failure(build("Sum", new SumAsText(), false, false), 2);
    assertThat(message, containsString("stateful transform 'Sum/ParMultiDo(SumAsText)' is new"));
    String keyCoderChanged = failure(build("Sum", new SumPerKey<String>(), false, true), 2);
    assertThat(keyCoderChanged, containsString("'Sum/ParMultiDo(SumPerKey)' changed"));
    assertThat(keyCoderChanged, containsString("StringUtf8Coder"));
  }

  @Test
  void changedParallelism() {
    String message = failure(build("Sum", new SumPerKey<Long>(), false, false), 4);
    assertThat(message, containsString("the checkpoint was written with 2 partitions, this run has 4"));
  }

  @Test
  void allowNonRestoredStateStartsFromWhatMatches() {
    PipelineResult.State state = run(build("Total", new SumPerKey<Long>(), true, false), 2, true);
    assertThat(state.toString(), containsString("DONE"));
  }

  private String failure(Pipeline pipeline, int parallelism) {
    Exception failure = assertThrows(Exception.class, () -> run(pipeline, parallelism, false));
    assertThat(failure.getMessage(), containsString("does not match this pipeline"));
    return failure.getMessage();
  }

  private PipelineResult.State run(Pipeline pipeline, int parallelism, boolean allowNonRestored) {
    pipeline
        .getOptions()
        .as(dev.microbatch.runner.MicroBatchPipelineOptions.class)
        .setParallelism(parallelism);
    pipeline
        .getOptions()
        .as(dev.microbatch.runner.MicroBatchPipelineOptions.class)
        .setAllowNonRestoredState(allowNonRestored);
    return pipeline.run().waitUntilFinish();
  }

  /** Numbers keyed by n % 3 (as text keys when asked), then a stateful step named {@code name}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Pipeline build(String name, DoFn<?, ?> stateful, boolean extraStateful, boolean textKeys) {
    List<String> args = new ArrayList<>();
    args.add("--runner=" + MicroBatchRunner.class.getSimpleName());
    args.add("--streaming=true");
    args.add("--maxRecordsPerBatch=10");
    args.add("--checkpointDir=" + checkpoints.toUri());
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create());
    PCollection<Long> numbers = pipeline.apply("Numbers", GenerateSequence.from(0).to(60));
    PCollection keyed =
        textKeys
            ? numbers.apply(
                "ByKey",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((Long n) -> KV.of(Long.toString(n % 3), n)))
            : numbers.apply(
                "ByKey",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                    .via((Long n) -> KV.of(n % 3, n)));
    if (name != null) {
      keyed.apply(name, ParDo.of((DoFn) stateful));
    }
    if (extraStateful) {
      keyed.apply("Extra", ParDo.of((DoFn) new LastValue()));
    }
    return pipeline;
  }

  /** The same sum, kept as text: another state coder under the same transform name. */
  static final class SumAsText extends DoFn<KV<Long, Long>, KV<Long, Long>> {
    @StateId("sum")
    private final StateSpec<ValueState<String>> sumSpec =
        StateSpecs.value(org.apache.beam.sdk.coders.StringUtf8Coder.of());

    @ProcessElement
    public void process(@Element KV<Long, Long> element, @StateId("sum") ValueState<String> sum) {
      String current = sum.read();
      sum.write(Long.toString((current == null ? 0 : Long.parseLong(current)) + element.getValue()));
    }
  }

  /** Another stateful step. */
  static final class LastValue extends DoFn<KV<Long, Long>, Void> {
    @StateId("last")
    private final StateSpec<ValueState<Long>> lastSpec = StateSpecs.value(VarLongCoder.of());

    @ProcessElement
    public void process(@Element KV<Long, Long> element, @StateId("last") ValueState<Long> last) {
      last.write(element.getValue());
    }
  }
}
