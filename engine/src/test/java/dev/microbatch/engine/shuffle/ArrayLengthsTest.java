package dev.microbatch.engine.shuffle;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Array lengths fill a power of two of memory with their 16-byte header, are never shorter than
 * asked, and double when grown one past their length.
 */
class ArrayLengthsTest {
  @Test
  void byteArraysFillPowersOfTwoWithTheirHeader() {
    assertThat(ArrayLengths.bytesAtLeast(4 << 20), is((8 << 20) - 16));
    assertThat(ArrayLengths.bytesAtLeast((4 << 20) - 16), is((4 << 20) - 16));
    assertThat(ArrayLengths.bytesAtLeast(0), is(16));
    for (int minimum = 1; minimum < 1 << 22; minimum = minimum * 3 + 1) {
      int length = ArrayLengths.bytesAtLeast(minimum);
      assertThat(length, greaterThanOrEqualTo(minimum));
      assertThat(Integer.bitCount(length + 16), is(1));
      assertThat(ArrayLengths.bytesAtLeast(length + 1), is(2 * length + 16));
    }
  }

  @Test
  void intArraysFillPowersOfTwoWithTheirHeader() {
    assertThat(ArrayLengths.intsAtLeast(1 << 20), is(((8 << 20) - 16) / 4));
    for (int minimum = 1; minimum < 1 << 22; minimum = minimum * 3 + 1) {
      int length = ArrayLengths.intsAtLeast(minimum);
      assertThat(length, greaterThanOrEqualTo(minimum));
      assertThat(Integer.bitCount(length * 4 + 16), is(1));
    }
  }

  @Test
  void grownArraysKeepTheirContentsAndDoubleOrReachWhatIsNeeded() {
    byte[] bytes = {1, 2, 3};
    byte[] doubled = ArrayLengths.grown(ArrayLengths.grown(bytes, 0), 0);
    assertThat(doubled.length, is(48));
    assertThat(Arrays.copyOf(doubled, 3), is(bytes));
    assertThat(ArrayLengths.grown(bytes, 1000).length, is(1024 - 16));
    int[] ints = ArrayLengths.grown(new int[] {7, 8, 9, 10});
    assertThat(ints.length, is(12));
    assertThat(Arrays.copyOf(ints, 4), is(new int[] {7, 8, 9, 10}));
  }

  @Test
  void pastAGigabyteTheLengthIsWhatWasAsked() {
    assertThat(ArrayLengths.bytesAtLeast((1 << 30) + 5), is((1 << 30) + 5));
  }
}
