package dev.microbatch.translation.translators;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.translation.TransformTranslator;
import dev.microbatch.translation.TranslationContext;
import dev.microbatch.translation.functions.AssignWindowsFunction;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.WindowedValue;

/** Window.Assign: a fused narrow operation; without a WindowFn the elements pass unchanged. */
public final class WindowAssignTranslator implements TransformTranslator {

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void translate(AppliedPTransform<?, ?, ?> transform, TranslationContext context) {
    WindowFn<Object, ?> windowFn = ((Window.Assign<Object>) transform.getTransform()).getWindowFn();
    DStream<WindowedValue<Object>> input = context.streamOf(Transforms.mainInput(transform));
    DStream<WindowedValue<Object>> output =
        windowFn == null
            ? input
            : input.mapPartitions("Window.Assign", new AssignWindowsFunction(windowFn));
    context.setStream(Transforms.output(transform), output);
  }
}
