package dev.microbatch.translation.translators;

import dev.microbatch.engine.time.Clock;
import dev.microbatch.engine.time.ManualClock;
import dev.microbatch.io.beam.TestStreamInputDStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.testing.TestStream;

/**
 * TestStream: an input that replays the stream's events one per batch, on the engine's manual
 * clock (the runner runs a pipeline with a TestStream on one, so processing time moves only when
 * the TestStream says so).
 */
public final class TestStreamTranslator implements TransformTranslator {

  @Override
  @SuppressWarnings("unchecked")
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    Clock clock = context.engine().config().clock();
    if (!(clock instanceof ManualClock manual)) {
      throw new IllegalStateException(
          "Internal error: a pipeline with a TestStream must run on a manual clock, got " + clock);
    }
    TestStream<Object> testStream = (TestStream<Object>) transform.getTransform();
    context.setStream(
        Transforms.output(transform),
        new TestStreamInputDStream<>(context.engine(), transform.getFullName(), testStream, manual));
  }
}
