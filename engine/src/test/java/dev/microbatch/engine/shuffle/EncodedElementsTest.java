package dev.microbatch.engine.shuffle;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Elements come back whole, whatever their sizes, and a failed encoding leaves no trace. */
class EncodedElementsTest {

  @Test
  void elementsOfManySizesAcrossPagesDecodeAsAdded() {
    EncodedElements<String> elements = new EncodedElements<>(ElementCodecs.utf8());
    List<String> added = new ArrayList<>();
    Random random = new Random(7);
    // Mostly small elements, some larger than a page, written byte by byte and in blocks.
    for (int i = 0; i < 3_000; i++) {
      int length = i % 500 == 499 ? (256 * 1024) + random.nextInt(1000) : random.nextInt(2_000);
      String element = Character.toString('a' + i % 26).repeat(length) + i;
      added.add(element);
      elements.add(element);
    }
    long bytes = 0;
    for (String element : added) {
      bytes += element.length();
    }
    assertThat((long) elements.byteSize(), is(bytes));
    assertThat((long) elements.byteSize(), greaterThan(4L * (256 * 1024)));
    for (int i = 0; i < added.size(); i++) {
      assertThat(elements.get(i), is(added.get(i)));
    }
  }

  /** Empty elements, and elements that fill a segment to its last byte, sit at segment edges. */
  @Test
  void elementsAtSegmentEdgesDecodeAsAdded() {
    EncodedElements<String> elements = new EncodedElements<>(ElementCodecs.utf8());
    List<String> added = new ArrayList<>();
    int first = EncodedElements.SEGMENTING_BYTES;
    int second = ArrayLengths.bytesAtLeast(first + 1);
    // The first element grows the first segment to exactly its largest size and fills it; the
    // next byte starts a segment of the next size, which the element after it fills to its last
    // byte; the byte after that starts a third.
    int[] lengths = {0, first, 0, 1, second - 1, 0, 1, 5, 0};
    for (int i = 0; i < lengths.length; i++) {
      String element = Character.toString('a' + i).repeat(lengths[i]);
      added.add(element);
      elements.add(element);
    }
    assertThat(elements.size(), is(lengths.length));
    for (int i = 0; i < added.size(); i++) {
      assertThat(elements.get(i), is(added.get(i)));
    }
  }

  /** Past the first segment's largest size, elements go into further segments and read back. */
  @Test
  void elementsBeyondTheFirstSegmentDecodeAsAdded() {
    EncodedElements<String> elements = new EncodedElements<>(ElementCodecs.utf8());
    List<String> added = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; bytes < 5L * EncodedElements.SEGMENTING_BYTES; i++) {
      String element = Character.toString('a' + i % 26).repeat(1 + (i * 7919) % 300_000) + i;
      added.add(element);
      elements.add(element);
      bytes += element.length();
    }
    elements.add("");
    elements.add("last");
    assertThat((long) elements.byteSize(), is(bytes + 4));
    for (int i = 0; i < added.size(); i++) {
      assertThat(elements.get(i), is(added.get(i)));
    }
    assertThat(elements.get(added.size()), is(""));
    assertThat(elements.get(added.size() + 1), is("last"));
  }

  /** A failure while the first segment grows (copied) leaves the list as it was before. */
  @Test
  void aFailedEncodingThatGrewTheFirstSegmentLeavesNoTrace() {
    assertAFailedEncodingLeavesNoTrace((256 * 1024) / 3);
  }

  /**
   * A failure after the element started a new segment leaves the list as it was before: three
   * fillers of a third of the first segment's largest size grow it past that size, and the failing
   * element no longer fits.
   */
  @Test
  void aFailedEncodingThatStartedASegmentLeavesNoTrace() {
    assertAFailedEncodingLeavesNoTrace(EncodedElements.SEGMENTING_BYTES / 3);
  }

  /** Three fillers, then an element that writes a filler's bytes and fails, then one more. */
  private static void assertAFailedEncodingLeavesNoTrace(int fillerLength) {
    EncodedElements<String> elements = new EncodedElements<>(FailingCodecs.utf8FailingOnBad());
    String filler = "f".repeat(fillerLength);
    for (int i = 0; i < 3; i++) {
      elements.add(filler + i);
    }
    long before = elements.byteSize();
    assertThrows(ShuffleCodecException.class, () -> elements.add("bad" + filler));
    assertThat((long) elements.byteSize(), is(before));
    elements.add("after");

    assertThat(elements.size(), is(4));
    for (int i = 0; i < 3; i++) {
      assertThat(elements.get(i), is(filler + i));
    }
    assertThat(elements.get(3), is("after"));
  }
}
