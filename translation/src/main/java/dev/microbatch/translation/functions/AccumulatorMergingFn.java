package dev.microbatch.translation.functions;

import java.util.List;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * A CombineFn whose inputs are accumulators of another: what the reduce side of a lifted
 * Combine.perKey folds into a key's state when the map side already combined each batch's inputs.
 * Adding an input is merging two accumulators; the output is the original function's.
 */
public final class AccumulatorMergingFn<InputT, AccumT, OutputT> extends CombineFn<AccumT, AccumT, OutputT> {
  private final CombineFn<InputT, AccumT, OutputT> fn;

  public AccumulatorMergingFn(CombineFn<InputT, AccumT, OutputT> fn) {
    this.fn = fn;
  }

  @Override
  public AccumT createAccumulator() {
    return fn.createAccumulator();
  }

  @Override
  public AccumT addInput(AccumT accumulator, AccumT partial) {
    return fn.mergeAccumulators(List.of(accumulator, partial));
  }

  @Override
  public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
    return fn.mergeAccumulators(accumulators);
  }

  @Override
  public AccumT compact(AccumT accumulator) {
    return fn.compact(accumulator);
  }

  @Override
  public OutputT extractOutput(AccumT accumulator) {
    return fn.extractOutput(accumulator);
  }
}
