package dev.microbatch.translation.state;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.runners.core.InMemoryStateInternals;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.ReadableState;

/**
 * A bag that keeps what earlier batches added as the bytes it was stored in, and decodes them only
 * when the bag is read. A batch that only adds (a GroupByKey buffering values until its trigger
 * fires, a DoFn collecting into a bag) records only its new elements ({@link #appended}, kept by
 * {@link StateBlob} as an append to the stored bag), so a bag that grows over many batches costs
 * each batch its new elements, not all of them: decoding and encoding the whole bag every batch
 * made buffering quadratic, and copying its bytes every batch still cost Nexmark query 10 a
 * quarter of its allocations.
 *
 * <p>Bytes: {@code varint(count)} then each element in the coder's nested encoding, as {@link
 * StateCellCodec#bag} keeps any bag.
 */
final class AppendableBag<T> implements BagState<T>, InMemoryStateInternals.InMemoryState<AppendableBag<T>> {
  // Well below a chunk of a key's state (StateBlob), which a bag is split into at its parts.
  private static final int PART_BYTES = 64 * 1024;
  private final Coder<T> coder;
  // What earlier batches stored (its count and its elements' ranges); null when nothing was, or
  // the bag was cleared since.
  private CellBytes.Bag stored;
  // The stored elements once a second read in one batch decoded them.
  private List<T> decoded;
  // Whether the bag was read since it was loaded: the first read is a view that decodes as it is
  // iterated (a GroupByKey's pane reads its bag once); a bag read again (a stateful DoFn reading
  // it per element) is decoded once and kept.
  private boolean read;
  // Whether the bag was cleared after it was loaded: then its stored bytes are gone.
  private boolean cleared;
  private final List<T> added = new ArrayList<>();

  AppendableBag(Coder<T> coder) {
    this.coder = coder;
  }

  /** Makes {@code contents} (a count, then the elements) what earlier batches stored. */
  void load(CellBytes contents) {
    stored = CellBytes.Bag.from(contents);
    decoded = null;
    read = false;
    cleared = false;
  }

  /**
   * The stored elements as they are, then the added ones encoded: the stored bytes are referenced,
   * not copied.
   */
  CellBytes contents() throws IOException {
    List<CellBytes.Bag.Part> parts = new ArrayList<>();
    if (stored != null) {
      parts.addAll(stored.parts());
    }
    parts.addAll(encodeAdded());
    return new CellBytes.Bag(parts);
  }

  /**
   * What this batch added to the stored bag, as a bag of its own; null when the bag was not stored
   * before or was cleared since, so that only its whole contents say what it holds.
   */
  CellBytes.Bag appended() throws IOException {
    if (stored == null || cleared) {
      return null;
    }
    return new CellBytes.Bag(encodeAdded());
  }

  // The added elements in parts of about PART_BYTES, so that a large bag can be written in pieces.
  private List<CellBytes.Bag.Part> encodeAdded() throws IOException {
    List<CellBytes.Bag.Part> parts = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int inPart = 0;
    for (T value : added) {
      coder.encode(value, out);
      inPart++;
      if (out.size() >= PART_BYTES) {
        parts.add(new CellBytes.Bag.Part(CellBytes.Range.of(out.toByteArray()), inPart));
        out.reset();
        inPart = 0;
      }
    }
    if (inPart > 0) {
      parts.add(new CellBytes.Bag.Part(CellBytes.Range.of(out.toByteArray()), inPart));
    }
    return parts;
  }

  private int size() {
    return (stored == null ? 0 : stored.count()) + added.size();
  }

  @Override
  public void add(T value) {
    added.add(value);
  }

  @Override
  public Iterable<T> read() {
    if (!read && decoded == null) {
      read = true;
      return new StoredBagView<>(coder, stored, new ArrayList<>(added));
    }
    List<T> all = new ArrayList<>(size());
    all.addAll(storedElements());
    all.addAll(added);
    return Collections.unmodifiableList(all);
  }

  private List<T> storedElements() {
    if (decoded == null) {
      // The view decodes the stored parts; nothing was added to it.
      decoded = new ArrayList<>(new StoredBagView<>(coder, stored, List.of()));
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
    decoded = new ArrayList<>();
    cleared = true;
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
    copy.decoded = decoded == null ? null : new ArrayList<>(decoded);
    copy.read = read;
    copy.cleared = cleared;
    copy.added.addAll(added);
    return copy;
  }
}
