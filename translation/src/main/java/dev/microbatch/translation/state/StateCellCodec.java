package dev.microbatch.translation.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.CombiningState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.MultimapState;
import org.apache.beam.sdk.state.OrderedListState;
import org.apache.beam.sdk.state.SetState;
import org.apache.beam.sdk.state.State;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.state.WatermarkHoldState;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * How one kind of Beam state cell is kept as bytes between batches, with the coders its tag was
 * bound with: {@link #encode} writes a non-empty cell's contents, {@link #decodeInto} adds them
 * back into a freshly bound, empty cell.
 */
abstract class StateCellCodec<S extends State> {

  abstract void encode(S state, OutputStream out) throws IOException;

  abstract void decodeInto(S state, InputStream in) throws IOException;

  /** Puts a stored cell's {@code contents} into a freshly bound, empty cell. */
  void load(S state, CellBytes contents) throws IOException {
    decodeInto(state, contents.stream());
  }

  /**
   * What the batch only added to a cell loaded from its stored contents, as the contents of a cell
   * of its own; null when the cell changed otherwise (or cannot say), so its whole contents count.
   */
  CellBytes.Bag appended(S state) throws IOException {
    return null;
  }

  /** A non-empty cell's contents as {@link #encode} writes them. */
  CellBytes contents(S state) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(state, out);
    return CellBytes.Range.of(out.toByteArray());
  }

  /** Whether the cell holds nothing, so that it need not be kept. */
  boolean isEmpty(S state) {
    return ((InMemoryStateInternals.InMemoryState<?>) state).isCleared();
  }

  /** Whether the cell is a watermark hold, whose time the partition reads without decoding. */
  boolean isHold() {
    return false;
  }

  static <T> StateCellCodec<ValueState<T>> value(Coder<T> coder) {
    return new StateCellCodec<>() {
      @Override
      void encode(ValueState<T> state, OutputStream out) throws IOException {
        coder.encode(state.read(), out);
      }

      @Override
      void decodeInto(ValueState<T> state, InputStream in) throws IOException {
        state.write(coder.decode(in));
      }

      @Override
      boolean isEmpty(ValueState<T> state) {
        // Reading a cleared value and a value written as null are the same to a DoFn.
        return state.read() == null;
      }
    };
  }

  /** A bag: bound as an {@link AppendableBag}, whose stored bytes are copied, not decoded, unless read. */
  static <T> StateCellCodec<BagState<T>> bag(Coder<T> coder) {
    StateCellCodec<BagState<T>> decoding = elements(coder, BagState::read, BagState::add);
    return new StateCellCodec<>() {
      @Override
      void encode(BagState<T> state, OutputStream out) throws IOException {
        if (state instanceof AppendableBag<T> bag) {
          bag.contents().stream().transferTo(out);
        } else {
          decoding.encode(state, out);
        }
      }

      @Override
      void decodeInto(BagState<T> state, InputStream in) throws IOException {
        decoding.decodeInto(state, in);
      }

      @Override
      void load(BagState<T> state, CellBytes contents) throws IOException {
        if (state instanceof AppendableBag<T> bag) {
          bag.load(contents);
        } else {
          decodeInto(state, contents.stream());
        }
      }

      @Override
      CellBytes.Bag appended(BagState<T> state) throws IOException {
        return state instanceof AppendableBag<T> bag ? bag.appended() : null;
      }

      @Override
      CellBytes contents(BagState<T> state) throws IOException {
        return state instanceof AppendableBag<T> bag ? bag.contents() : super.contents(state);
      }
    };
  }

  static <T> StateCellCodec<SetState<T>> set(Coder<T> coder) {
    return elements(coder, SetState::read, SetState::add);
  }

  static <T> StateCellCodec<OrderedListState<T>> orderedList(Coder<T> coder) {
    return elements(
        TimestampedValue.TimestampedValueCoder.of(coder),
        OrderedListState::read,
        OrderedListState::add);
  }

  static <K, V> StateCellCodec<MapState<K, V>> map(Coder<K> keyCoder, Coder<V> valueCoder) {
    return entries(keyCoder, valueCoder, state -> state.entries().read(), MapState::put);
  }

  static <K, V> StateCellCodec<MultimapState<K, V>> multimap(
      Coder<K> keyCoder, Coder<V> valueCoder) {
    return entries(keyCoder, valueCoder, state -> state.entries().read(), MultimapState::put);
  }

  /** A cell that is a collection of elements: a count, then each element. */
  private static <S extends State, T> StateCellCodec<S> elements(
      Coder<T> coder, Function<S, Iterable<T>> read, BiConsumer<S, T> add) {
    return new StateCellCodec<>() {
      @Override
      void encode(S state, OutputStream out) throws IOException {
        List<T> list = new ArrayList<>();
        read.apply(state).forEach(list::add);
        VarIntCoder.of().encode(list.size(), out);
        for (T value : list) {
          coder.encode(value, out);
        }
      }

      @Override
      void decodeInto(S state, InputStream in) throws IOException {
        int count = VarIntCoder.of().decode(in);
        for (int i = 0; i < count; i++) {
          add.accept(state, coder.decode(in));
        }
      }
    };
  }

  /** A cell that is a collection of key-value entries: a count, then each key and value. */
  private static <S extends State, K, V> StateCellCodec<S> entries(
      Coder<K> keyCoder,
      Coder<V> valueCoder,
      Function<S, Iterable<Map.Entry<K, V>>> read,
      TriConsumer<S, K, V> put) {
    return new StateCellCodec<>() {
      @Override
      void encode(S state, OutputStream out) throws IOException {
        List<Map.Entry<K, V>> list = new ArrayList<>();
        read.apply(state).forEach(list::add);
        VarIntCoder.of().encode(list.size(), out);
        for (Map.Entry<K, V> entry : list) {
          keyCoder.encode(entry.getKey(), out);
          valueCoder.encode(entry.getValue(), out);
        }
      }

      @Override
      void decodeInto(S state, InputStream in) throws IOException {
        int count = VarIntCoder.of().decode(in);
        for (int i = 0; i < count; i++) {
          put.accept(state, keyCoder.decode(in), valueCoder.decode(in));
        }
      }
    };
  }

  /** Puts a key and a value into a map-like cell. */
  private interface TriConsumer<S, K, V> {
    void accept(S state, K key, V value);
  }

  static <InT, AccT, OutT> StateCellCodec<CombiningState<InT, AccT, OutT>> combining(
      Coder<AccT> accumulatorCoder) {
    return new StateCellCodec<>() {
      @Override
      void encode(CombiningState<InT, AccT, OutT> state, OutputStream out) throws IOException {
        accumulatorCoder.encode(state.getAccum(), out);
      }

      @Override
      void decodeInto(CombiningState<InT, AccT, OutT> state, InputStream in) throws IOException {
        state.addAccum(accumulatorCoder.decode(in));
      }
    };
  }

  static StateCellCodec<WatermarkHoldState> hold() {
    return new StateCellCodec<>() {
      @Override
      void encode(WatermarkHoldState state, OutputStream out) throws IOException {
        InstantCoder.of().encode(state.read(), out);
      }

      @Override
      void decodeInto(WatermarkHoldState state, InputStream in) throws IOException {
        state.add(InstantCoder.of().decode(in));
      }

      @Override
      boolean isHold() {
        return true;
      }
    };
  }

  /** The hold time an encoded hold cell carries. */
  static Instant holdOf(InputStream in) throws IOException {
    return InstantCoder.of().decode(in);
  }
}
