package dev.microbatch.translation;

import dev.microbatch.engine.dstream.DStream;
import dev.microbatch.translation.checkpoint.Fingerprints;
import dev.microbatch.translation.functions.BeamKeys;
import dev.microbatch.translation.functions.StreamingGroupAlsoByWindow;
import dev.microbatch.translation.functions.ViewContents;
import dev.microbatch.translation.functions.ViewReaders;
import dev.microbatch.translation.shuffle.BeamElementCodec;
import dev.microbatch.translation.state.KeyedPartitionState;
import org.apache.beam.runners.core.SystemReduceFn;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowedValue;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * Side inputs of a streaming pipeline. A view's PCollection is grouped under a single key with its
 * own windowing strategy, so that the view changes exactly when the PCollection's trigger fires
 * (once per window, at the watermark, with the default trigger); the panes then replace the view's
 * contents per window, and a window goes once no stage that reads the view can need it.
 */
final class StreamingViews {
  private static final String ONE_KEY = "";

  private StreamingViews() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <V, W extends BoundedWindow> DStream<WindowedValue<?>> contents(
      PCollection<V> collection,
      DStream<WindowedValue<V>> stream,
      ViewReaders readers,
      TranslationContext context) {
    String name = "view:" + collection.getName();
    WindowingStrategy<?, W> strategy = (WindowingStrategy<?, W>) collection.getWindowingStrategy();
    return stream
        .map(element -> element.withValue(KV.of(ONE_KEY, element.getValue())))
        .groupBy(
            BeamKeys.<String, V>byKvKey(StringUtf8Coder.of()),
            BeamElementCodec.windowed(
                KvCoder.of(StringUtf8Coder.of(), collection.getCoder()),
                BeamElementCodec.windowCoderOf(collection),
                collection.getName()))
        .stateful(
            name,
            new StreamingGroupAlsoByWindow<String, V, Iterable<V>, W>(
                name,
                strategy,
                SystemReduceFn.buffering(collection.getCoder()),
                context.options(),
                context.metrics()),
            () ->
                KeyedPartitionState.forGrouping(
                    StringUtf8Coder.of(),
                    strategy.getWindowFn().windowCoder(),
                    "view values=" + Fingerprints.coder(collection.getCoder())))
        .stateful(
            name + "/contents",
            new ViewContents<V>(name, readers, context.metrics()),
            () ->
                new ViewContents.ByWindow(
                    (Coder<Object>) (Coder) collection.getCoder(),
                    (Coder<BoundedWindow>) (Coder) strategy.getWindowFn().windowCoder()));
  }
}
