package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroGeneratedUser;
import org.apache.beam.sdk.extensions.avro.io.AvroGeneratedUserFactory;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Beam's AvroIO, unmodified: records of Avro's generated class {@link AvroGeneratedUser} written
 * to dynamic destinations (one per favorite color) with runner-determined sharding, then read back
 * with their schema as records with a Beam schema. The same pipeline and assertions run on
 * DirectRunner, whose outcome is the expectation.
 *
 * <p>PAssert decodes the expected records with the read's coder (a SchemaCoder, whose records
 * carry the schema it derives from the Beam schema, not the file's): the records read compare
 * equal to them only as what the coder decodes, which is what every element crossing a GroupByKey
 * is on DirectRunner (it clones each element through its coder) and on runners that encode a
 * shuffle's values; records passed on as the reader made them print the same but are not equal.
 */
class AvroWriteReadTest {
  private static final List<AvroGeneratedUser> USERS =
      List.of(
          AvroGeneratedUserFactory.newInstance("Bob", 256, "red"),
          AvroGeneratedUserFactory.newInstance("Alice", 128, "blue"),
          AvroGeneratedUserFactory.newInstance("Ted", null, "red"),
          AvroGeneratedUserFactory.newInstance("Carol", 64, "green"));

  @TempDir Path directory;

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "MicroBatchRunner"})
  void generatedRecordsWrittenToDynamicDestinationsReadBackEqual(String runner) {
    Path output = directory.resolve(runner);
    run(runner, write(pipeline(runner), output));

    Pipeline read = pipeline(runner);
    PCollection<GenericRecord> asGeneric =
        read.apply(
            "ReadGeneric",
            AvroIO.readGenericRecords(AvroGeneratedUser.getClassSchema())
                .withBeamSchemas(true)
                .from(output + "/*.avro"));
    PAssert.that(asGeneric).containsInAnyOrder(List.<GenericRecord>copyOf(USERS));
    PCollection<AvroGeneratedUser> asGenerated =
        read.apply(
            "ReadGenerated",
            AvroIO.read(AvroGeneratedUser.class).withBeamSchemas(true).from(output + "/*.avro"));
    PAssert.that(asGenerated).containsInAnyOrder(USERS);
    PipelineResult result = run(runner, read);

    // Both assertions ran (a PAssert that never ran would pass too).
    assertThat(
        CounterTotals.attempted(result, PAssert.class, PAssert.SUCCESS_COUNTER), is(2L));
  }

  private static Pipeline write(Pipeline pipeline, Path output) {
    pipeline
        .apply(Create.of(USERS).withCoder(AvroCoder.of(AvroGeneratedUser.class)))
        .apply(
            FileIO.<String, AvroGeneratedUser>writeDynamic()
                .by(user -> user.getFavoriteColor().toString())
                .withDestinationCoder(StringUtf8Coder.of())
                .via(Contextful.fn(user -> user), AvroIO.sink(AvroGeneratedUser.class))
                .to(output.toString())
                .withNaming(color -> FileIO.Write.defaultNaming(color, ".avro")));
    return pipeline;
  }

  private static Pipeline pipeline(String runner) {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=" + runner).create());
  }

  private static PipelineResult run(String runner, Pipeline pipeline) {
    PipelineResult result = pipeline.run();
    assertThat(runner, result.waitUntilFinish(), is(PipelineResult.State.DONE));
    return result;
  }
}
