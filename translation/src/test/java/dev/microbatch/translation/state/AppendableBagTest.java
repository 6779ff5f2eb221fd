package dev.microbatch.translation.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.BagState;
import org.junit.jupiter.api.Test;

class AppendableBagTest {
  private static final StateCellCodec<BagState<String>> CODEC = StateCellCodec.bag(StringUtf8Coder.of());

  /** A batch that only adds copies the stored elements' bytes: it never decodes them. */
  @Test
  void addingAfterStoredElementsKeepsThemWithoutDecodingThem() throws IOException {
    byte[] stored = encode(List.of("a", "b"));
    AppendableBag<String> bag = new AppendableBag<>(new RefusingToDecode());
    CODEC.load(bag, inBlob(stored));
    bag.add("c");

    assertThat(bag.isEmpty().read(), is(false));
    assertThat(storedAndLoaded(bag).read(), contains("a", "b", "c"));
  }

  @Test
  void readingDecodesStoredThenAddedAndLaterAddsFollow() throws IOException {
    AppendableBag<String> bag = loaded(encode(List.of("a")));
    bag.add("b");
    Iterable<String> before = bag.read();
    bag.add("c");

    assertThat(before, contains("a", "b"));
    assertThat(bag.read(), contains("a", "b", "c"));
    assertThat(storedAndLoaded(bag).read(), contains("a", "b", "c"));
  }

  /**
   * A first read is a view: the stored elements decode only as it is iterated, and clearing or
   * adding to the bag afterwards leaves it as it was.
   */
  @Test
  void aFirstReadDecodesStoredElementsOnlyAsItIsIterated() throws IOException {
    AppendableBag<String> bag = new AppendableBag<>(new RefusingToDecode());
    CODEC.load(bag, inBlob(encode(List.of("a", "b"))));
    bag.add("c");
    Iterable<String> view = bag.read();
    bag.clear();
    bag.add("d");

    assertThat(((List<String>) view).size(), is(3));
    UncheckedIOException corrupt = assertThrows(UncheckedIOException.class, () -> view.iterator().next());
    assertThat(corrupt.getMessage(), containsString("Corrupt keyed state"));
  }

  @Test
  void aViewReadsEveryStoredPartThenTheAddedElementsEachTimeItIsIterated() throws IOException {
    AppendableBag<String> bag = new AppendableBag<>(StringUtf8Coder.of());
    CODEC.load(
        bag,
        new CellBytes.Bag(
            List.of(
                new CellBytes.Bag.Part(inBlob(nested("a", "b")), 2),
                new CellBytes.Bag.Part(inBlob(new byte[0]), 0),
                new CellBytes.Bag.Part(inBlob(nested("c")), 1))));
    bag.add("d");
    Iterable<String> view = bag.read();
    bag.add("e");

    assertThat(view, contains("a", "b", "c", "d"));
    assertThat(view, is(List.of("a", "b", "c", "d")));
    List<String> list = (List<String>) view;
    assertThat(list.get(2), is("c"));
    assertThat(list.get(3), is("d"));
    assertThat(list.get(0), is("a"));
    assertThat(list.get(1), is("b"));
    assertThrows(IndexOutOfBoundsException.class, () -> list.get(4));
    assertThat(bag.read(), contains("a", "b", "c", "d", "e"));
  }

  @Test
  void clearDropsStoredAndAdded() throws IOException {
    AppendableBag<String> bag = loaded(encode(List.of("a", "b")));
    bag.add("c");
    bag.clear();

    assertThat(bag.isCleared(), is(true));
    assertThat(CODEC.isEmpty(bag), is(true));
    assertThat(bag.read(), emptyIterable());
    bag.add("d");
    assertThat(storedAndLoaded(bag).read(), contains("d"));
  }

  /** A bag of the next batch, loaded from {@code contents}. */
  private static AppendableBag<String> loaded(byte[] contents) throws IOException {
    AppendableBag<String> bag = new AppendableBag<>(StringUtf8Coder.of());
    CODEC.load(bag, inBlob(contents));
    return bag;
  }

  /** {@code bag} as a batch stores it, loaded by the next batch. */
  private static AppendableBag<String> storedAndLoaded(AppendableBag<String> bag) throws IOException {
    return loaded(encodeCell(bag));
  }

  /** The contents as a stored cell is: a range in the middle of its key's blob. */
  private static CellBytes.Range inBlob(byte[] contents) {
    byte[] blob = new byte[contents.length + 7];
    java.util.Arrays.fill(blob, (byte) 0x5A);
    System.arraycopy(contents, 0, blob, 4, contents.length);
    return new CellBytes.Range(blob, 4, contents.length);
  }

  /** Elements back to back in their nested encoding, as a bag's part holds them. */
  private static byte[] nested(String... values) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (String value : values) {
      StringUtf8Coder.of().encode(value, out);
    }
    return out.toByteArray();
  }

  private static byte[] encode(List<String> values) throws IOException {
    AppendableBag<String> bag = new AppendableBag<>(StringUtf8Coder.of());
    values.forEach(bag::add);
    return encodeCell(bag);
  }

  private static byte[] encodeCell(AppendableBag<String> bag) throws IOException {
    // As a key's blob takes it: the cell's contents, not its stream encoding.
    return CODEC.contents(bag).stream().readAllBytes();
  }

  /** Encodes as UTF-8 strings do, and fails any decode. */
  private static final class RefusingToDecode extends Coder<String> {
    @Override
    public void encode(String value, java.io.OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value, out);
    }

    @Override
    public String decode(java.io.InputStream in) throws CoderException {
      throw new CoderException("the stored elements were decoded");
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of();
    }

    @Override
    public void verifyDeterministic() {}
  }
}
