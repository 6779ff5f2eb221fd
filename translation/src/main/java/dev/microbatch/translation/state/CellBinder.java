package dev.microbatch.translation.state;

import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.runners.core.StateTag;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.CombiningState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.MultimapState;
import org.apache.beam.sdk.state.OrderedListState;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.StateContext;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.state.WatermarkHoldState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineWithContext;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;

/**
 * Binds a state tag to a working in-memory cell, as Beam's in-memory binder does, and remembers
 * how to encode that cell with the coders the tag was bound with. One binder binds one tag.
 */
final class CellBinder implements StateTag.StateBinder {
  private final InMemoryStateInternals.InMemoryStateBinder cells;
  private StateCellCodec<?> codec;

  CellBinder(StateContext<?> context) {
    this.cells = new InMemoryStateInternals.InMemoryStateBinder(context);
  }

  /** The codec of the tag this binder bound. */
  @SuppressWarnings("unchecked")
  <S extends State> StateCellCodec<S> codec() {
    return (StateCellCodec<S>) codec;
  }

  @Override
  public <T> ValueState<T> bindValue(StateTag<ValueState<T>> tag, Coder<T> coder) {
    codec = StateCellCodec.value(coder);
    return cells.bindValue(tag, coder);
  }

  @Override
  public <T> BagState<T> bindBag(StateTag<BagState<T>> tag, Coder<T> elemCoder) {
    codec = StateCellCodec.bag(elemCoder);
    return new AppendableBag<>(elemCoder);
  }

  @Override
  public <T> SetState<T> bindSet(StateTag<SetState<T>> tag, Coder<T> elemCoder) {
    codec = StateCellCodec.set(elemCoder);
    return cells.bindSet(tag, elemCoder);
  }

  @Override
  public <K, V> MapState<K, V> bindMap(
      StateTag<MapState<K, V>> tag, Coder<K> mapKeyCoder, Coder<V> mapValueCoder) {
    codec = StateCellCodec.map(mapKeyCoder, mapValueCoder);
    return cells.bindMap(tag, mapKeyCoder, mapValueCoder);
  }

  @Override
  public <K, V> MultimapState<K, V> bindMultimap(
      StateTag<MultimapState<K, V>> tag, Coder<K> keyCoder, Coder<V> valueCoder) {
    codec = StateCellCodec.multimap(keyCoder, valueCoder);
    return cells.bindMultimap(tag, keyCoder, valueCoder);
  }

  @Override
  public <T> OrderedListState<T> bindOrderedList(
      StateTag<OrderedListState<T>> tag, Coder<T> elemCoder) {
    codec = StateCellCodec.orderedList(elemCoder);
    return cells.bindOrderedList(tag, elemCoder);
  }

  @Override
  public <InputT, AccumT, OutputT> CombiningState<InputT, AccumT, OutputT> bindCombiningValue(
      StateTag<CombiningState<InputT, AccumT, OutputT>> tag,
      Coder<AccumT> accumCoder,
      Combine.CombineFn<InputT, AccumT, OutputT> combineFn) {
    codec = StateCellCodec.<InputT, AccumT, OutputT>combining(accumCoder);
    return cells.bindCombiningValue(tag, accumCoder, combineFn);
  }

  @Override
  public <InputT, AccumT, OutputT>
      CombiningState<InputT, AccumT, OutputT> bindCombiningValueWithContext(
          StateTag<CombiningState<InputT, AccumT, OutputT>> tag,
          Coder<AccumT> accumCoder,
          CombineWithContext.CombineFnWithContext<InputT, AccumT, OutputT> combineFn) {
    codec = StateCellCodec.<InputT, AccumT, OutputT>combining(accumCoder);
    return cells.bindCombiningValueWithContext(tag, accumCoder, combineFn);
  }

  @Override
  public WatermarkHoldState bindWatermark(
      StateTag<WatermarkHoldState> tag, TimestampCombiner timestampCombiner) {
    codec = StateCellCodec.hold();
    return cells.bindWatermark(tag, timestampCombiner);
  }
}
