package dev.microbatch.translation.state;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.ReadableState;
import org.apache.beam.sdk.util.VarInt;

/**
 * A bag that keeps what earlier batches added as the bytes it was stored in, and decodes them only
 * when the bag is read. A batch that only adds (a GroupByKey buffering values until its trigger
 * fires, a DoFn collecting into a bag) writes its new elements after the stored bytes, so a bag
 * that grows over many batches costs each batch its new elements, not all of them: decoding and
 * encoding the whole bag every batch made buffering quadratic (measured on Nexmark query 10).
 *
 * <p>Bytes: {@code varint(count)} then each element in the coder's nested encoding, as {@link
 * StateCellCodec#bag} keeps any bag.
 */
final class AppendableBag<T> implements BagState<T>, InMemoryStateInternals.InMemoryState<AppendableBag<T>> {
  private final Coder<T> coder;
  // What earlier batches stored: its element count and its encoded elements (after the count).
  private CellBytes.Range stored;
  private int storedCount;
  // The stored elements once decoded (a read), then the elements this batch added.
  private List<T> decoded;
  private final List<T> added = new ArrayList<>();

  AppendableBag(Coder<T> coder) {
    this.coder = coder;
  }

  /** Makes {@code contents} (a count, then the elements) what earlier batches stored. */
  void load(CellBytes.Range contents) throws IOException {
    ByteArrayInputStream in = contents.stream();
    storedCount = VarInt.decodeInt(in);
    int countLength = contents.length() - in.available();
    stored = new CellBytes.Range(contents.array(), contents.offset() + countLength, contents.length() - countLength);
    decoded = null;
  }

  /**
   * The count, then the stored elements as they are (unless a read decoded them), then the added
   * ones encoded: the stored bytes are referenced, not copied.
   */
  CellBytes contents() throws IOException {
    ByteArrayOutputStream count = new ByteArrayOutputStream(5);
    VarInt.encode(size(), count);
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    if (decoded != null) {
      for (T value : decoded) {
        coder.encode(value, tail);
      }
    }
    for (T value : added) {
      coder.encode(value, tail);
    }
    List<CellBytes.Range> parts = new ArrayList<>(3);
    parts.add(CellBytes.Range.of(count.toByteArray()));
    if (decoded == null && storedCount > 0) {
      parts.add(stored);
    }
    parts.add(CellBytes.Range.of(tail.toByteArray()));
    return new CellBytes.Joined(parts);
  }

  private int size() {
    return (decoded != null ? decoded.size() : storedCount) + added.size();
  }

  @Override
  public void add(T value) {
    added.add(value);
  }

  @Override
  public Iterable<T> read() {
    List<T> all = new ArrayList<>(size());
    all.addAll(storedElements());
    all.addAll(added);
    return Collections.unmodifiableList(all);
  }

  private List<T> storedElements() {
    if (decoded == null) {
      decoded = new ArrayList<>(storedCount);
      if (storedCount > 0) {
        InputStream in = stored.stream();
        try {
          for (int i = 0; i < storedCount; i++) {
            decoded.add(coder.decode(in));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("Corrupt keyed state: a bag does not decode", e);
        }
      }
      stored = null;
    }
    return decoded;
  }

  @Override
  public ReadableState<Boolean> isEmpty() {
    return new ReadableState<>() {
      @Override
      public Boolean read() {
        return isCleared();
      }

      @Override
      public ReadableState<Boolean> readLater() {
        return this;
      }
    };
  }

  @Override
  public void clear() {
    stored = null;
    storedCount = 0;
    decoded = new ArrayList<>();
    added.clear();
  }

  @Override
  public AppendableBag<T> readLater() {
    return this;
  }

  @Override
  public boolean isCleared() {
    return size() == 0;
  }

  @Override
  public AppendableBag<T> copy() {
    AppendableBag<T> copy = new AppendableBag<>(coder);
    copy.stored = stored;
    copy.storedCount = storedCount;
    copy.decoded = decoded == null ? null : new ArrayList<>(decoded);
    copy.added.addAll(added);
    return copy;
  }
}
