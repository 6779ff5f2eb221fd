package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * A bounded source that cannot be split fails the pipeline with its own exception as the cause,
 * as on DirectRunner: its message is what tells the user what is wrong.
 */
class SourceSplitFailureTest {
  private static final String MESSAGE = "No file matches /nowhere/*";

  /** A source whose files do not exist: sizing or splitting it fails. */
  static final class MissingFiles extends BoundedSource<Long> {
    @Override
    public List<? extends BoundedSource<Long>> split(long bundleSize, PipelineOptions options)
        throws IOException {
      throw new IOException(MESSAGE);
    }

    @Override
    public long getEstimatedSizeBytes(PipelineOptions options) throws IOException {
      throw new IOException(MESSAGE);
    }

    @Override
    public BoundedReader<Long> createReader(PipelineOptions options) throws IOException {
      throw new IOException(MESSAGE);
    }

    @Override
    public Coder<Long> getOutputCoder() {
      return VarLongCoder.of();
    }
  }

  @Test
  void theSourcesExceptionIsTheCauseAsOnDirectRunner() {
    Throwable expected = failureOn("DirectRunner");
    Throwable actual = failureOn("MicroBatchRunner");
    assertThat(expected.getCause(), instanceOf(IOException.class));
    assertThat(actual.getCause().getClass(), is(expected.getCause().getClass()));
    assertThat(actual.getCause().getMessage(), is(expected.getCause().getMessage()));
  }

  private static Throwable failureOn(String runner) {
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs("--runner=" + runner, "--parallelism=2").create());
    pipeline.apply(Read.from(new MissingFiles()));
    return assertThrows(PipelineExecutionException.class, pipeline::run);
  }
}
