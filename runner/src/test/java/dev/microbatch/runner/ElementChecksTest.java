package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/**
 * Broken coders and DoFns that mutate elements fail a pipeline as they fail it on Beam's
 * DirectRunner (the reference, run side by side): always where elements cross a shuffle, and
 * everywhere with --checkEncodability / --checkImmutability (DirectRunner's --enforceEncodability /
 * --enforceImmutability), with errors that name the step.
 */
class ElementChecksTest {

  @Test
  void aCoderThatCannotEncodeFailsAtTheShuffleOnBothRunners() {
    for (Class<? extends PipelineRunner<?>> runner : List.of(DirectRunner.class, MicroBatchRunner.class)) {
      Pipeline pipeline = Pipeline.create(options(runner));
      pipeline
          .apply(Create.of("a", "b", "poison"))
          .setCoder(new PoisonCoder())
          .apply(Reshuffle.viaRandomKey())
          .apply(ParDo.of(new Drop<>()));

      Exception failure = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());

      assertThat(runner.getSimpleName(), causes(failure), containsString("cannot encode poison"));
    }
  }

  @Test
  void withEnforceEncodabilityAnOutputThatCannotEncodeFailsNamingTheStep() {
    Pipeline pipeline = Pipeline.create(options(MicroBatchRunner.class, "--checkEncodability=true"));
    pipeline
        .apply(Create.of("a", "poison"))
        .apply("Identity", ParDo.of(new Identity()))
        .setCoder(new PoisonCoder())
        .apply(ParDo.of(new Drop<>()));

    Exception failure = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());

    assertThat(causes(failure), containsString("Step Identity/ParMultiDo(Identity) output an element"));
    assertThat(causes(failure), containsString("cannot encode poison"));
  }

  @Test
  void withoutEnforceEncodabilityAnOutputNoShuffleReadsIsNotEncoded() {
    Pipeline pipeline = Pipeline.create(options(MicroBatchRunner.class));
    pipeline
        .apply(Create.of("a", "poison"))
        .apply("Identity", ParDo.of(new Identity()))
        .setCoder(new PoisonCoder())
        .apply(ParDo.of(new Drop<>()));

    assertThat(pipeline.run().waitUntilFinish().toString(), is("DONE"));
  }

  @Test
  void aDoFnThatMutatesItsInputFailsWithEnforceImmutabilityAsOnDirectRunner() {
    for (Class<? extends PipelineRunner<?>> runner : List.of(DirectRunner.class, MicroBatchRunner.class)) {
      Pipeline pipeline = Pipeline.create(options(runner, runner == DirectRunner.class ? "--enforceImmutability=true" : "--checkImmutability=true"));
      pipeline
          .apply(Create.of(KV.of("k", List.of(1, 2)))
              .withCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(VarIntCoder.of()))))
          .apply(GroupByKey.create())
          .apply("Mutate", ParDo.of(new MutateInput()));

      Exception failure = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());

      assertThat(runner.getSimpleName(), causes(failure), containsString("IllegalMutationException"));
      if (runner == MicroBatchRunner.class) {
        assertThat(causes(failure), containsString("Step Mutate/ParMultiDo(MutateInput) mutated its input element"));
      }
    }
  }

  @Test
  void aDoFnThatMutatesAnElementAfterOutputtingItFailsWithEnforceImmutability() {
    Pipeline pipeline = Pipeline.create(options(MicroBatchRunner.class, "--checkImmutability=true"));
    pipeline
        .apply(Create.of(1, 2))
        .apply("OutputThenMutate", ParDo.of(new OutputThenMutate()))
        .setCoder(ListCoder.of(VarIntCoder.of()))
        .apply(ParDo.of(new Drop<>()));

    Exception failure = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());

    assertThat(causes(failure), containsString("Step OutputThenMutate/ParMultiDo(OutputThenMutate) mutated an element after it output it"));
  }

  private static PipelineOptions options(Class<? extends PipelineRunner<?>> runner, String... args) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args).withoutStrictParsing().create();
    options.setRunner(runner);
    return options;
  }

  /** Every message in the cause chain, so an assertion can look for the original failure. */
  private static String causes(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  /** UTF-8 strings, except "poison", which it refuses to encode. */
  static final class PoisonCoder extends AtomicCoder<String> {
    @Override
    public void encode(String value, OutputStream out) throws IOException {
      if (value.equals("poison")) {
        throw new CoderException("cannot encode poison");
      }
      StringUtf8Coder.of().encode(value, out);
    }

    @Override
    public String decode(InputStream in) throws IOException {
      return StringUtf8Coder.of().decode(in);
    }
  }

  static final class Identity extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String element, OutputReceiver<String> out) {
      out.output(element);
    }
  }

  static final class Drop<T> extends DoFn<T, Void> {
    @ProcessElement
    public void process(@Element T element) {}
  }

  /** Adds to the list it was given: forbidden, the input may be shared with other consumers. */
  static final class MutateInput extends DoFn<KV<String, Iterable<List<Integer>>>, Void> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<List<Integer>>> element) {
      for (List<Integer> list : element.getValue()) {
        list.add(99);
      }
    }
  }

  /** Outputs a list, then changes it: the next stage may already hold it. */
  static final class OutputThenMutate extends DoFn<Integer, List<Integer>> {
    @ProcessElement
    public void process(@Element Integer element, OutputReceiver<List<Integer>> out) {
      List<Integer> list = new ArrayList<>(List.of(element));
      out.output(list);
      list.add(element * 10);
    }
  }
}
