package dev.microbatch.translation.translators;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * A liftable Combine.perKey with its types spelled out: what its translation is built from.
 *
 * @param name the transform's full name
 * @param input the combine's main input
 * @param keyCoder the input's key coder
 * @param windowing the input's windowing strategy
 * @param windowCoder the coder of the input's windows
 * @param fn the plain CombineFn
 * @param accumulatorCoder the CombineFn's accumulator coder
 */
record CombineSpec<K, InputT, AccumT, OutputT, W extends BoundedWindow>(
    String name,
    PCollection<KV<K, InputT>> input,
    Coder<K> keyCoder,
    WindowingStrategy<?, W> windowing,
    Coder<W> windowCoder,
    CombineFn<InputT, AccumT, OutputT> fn,
    Coder<AccumT> accumulatorCoder) {

  /** The spec of a transform {@link CombineLifting#unliftableReason} accepted. */
  @SuppressWarnings("unchecked")
  static <K, InputT, AccumT, OutputT, W extends BoundedWindow>
      CombineSpec<K, InputT, AccumT, OutputT, W> of(AppliedPTransform<?, ?, ?> transform) {
    Combine.PerKey<K, InputT, OutputT> combine =
        (Combine.PerKey<K, InputT, OutputT>) transform.getTransform();
    PCollection<KV<K, InputT>> input = Transforms.mainInput(transform);
    WindowingStrategy<?, W> windowing = (WindowingStrategy<?, W>) input.getWindowingStrategy();
    return new CombineSpec<>(
        transform.getFullName(),
        input,
        ((KvCoder<K, InputT>) input.getCoder()).getKeyCoder(),
        windowing,
        (Coder<W>) windowing.getWindowFn().windowCoder(),
        (CombineFn<InputT, AccumT, OutputT>) combine.getFn(),
        CombineLifting.accumulatorCoder(combine, input));
  }
}
