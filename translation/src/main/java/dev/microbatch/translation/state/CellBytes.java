package dev.microbatch.translation.state;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.util.VarInt;

/**
 * A cell's encoded contents without copying them: a range of an array (a stored cell is a view
 * into its key's state), or a bag's count and the parts its elements lie in (the bytes it was
 * stored in, what later batches added). A key's new blob is then assembled with one copy of each byte.
 */
sealed interface CellBytes {
  int length();

  /** Copies the contents to {@code target} from {@code at}. */
  void copyTo(byte[] target, int at);

  /** The contents to read: a view of a range, a copy of joined ranges. */
  default ByteArrayInputStream stream() {
    byte[] bytes = new byte[length()];
    copyTo(bytes, 0);
    return new ByteArrayInputStream(bytes);
  }

  /**
   * Whether {@code a} and {@code b} hold the same bytes; compared only up to a few KB (a larger
   * cell counts as changed: comparing would cost about what writing it does).
   */
  static boolean sameBytes(CellBytes a, CellBytes b) {
    int length = a.length();
    if (length != b.length() || length > 4096) {
      return false;
    }
    byte[] left = new byte[length];
    byte[] right = new byte[length];
    a.copyTo(left, 0);
    b.copyTo(right, 0);
    return Arrays.equals(left, right);
  }

  /** Bytes {@code [offset, offset + length)} of {@code array}. */
  record Range(byte[] array, int offset, int length) implements CellBytes {
    static Range of(byte[] array) {
      return new Range(array, 0, array.length);
    }

    @Override
    public void copyTo(byte[] target, int at) {
      System.arraycopy(array, offset, target, at, length);
    }

    @Override
    public ByteArrayInputStream stream() {
      return new ByteArrayInputStream(array, offset, length);
    }
  }

  /**
   * A bag's contents as its count and the parts its elements lie in, each with how many elements it
   * holds: the bag as first stored, then what each later batch appended ({@link StateBlob}), so that
   * a bag can be written in pieces at part boundaries without decoding it.
   */
  final class Bag implements CellBytes {
    /** Elements encoded back to back in {@code bytes}. */
    record Part(Range bytes, int count) {}

    private final List<Part> parts;
    private int count;

    Bag(List<Part> parts) {
      this.parts = new ArrayList<>(parts);
      for (Part part : parts) {
        count += part.count();
      }
    }

    /** A bag stored whole: its count, then its elements. */
    static Bag of(Range contents) {
      ByteArrayInputStream in = contents.stream();
      int count;
      try {
        count = VarInt.decodeInt(in);
      } catch (IOException e) {
        throw new IllegalStateException("Corrupt keyed state: a bag's count does not decode", e);
      }
      int countLength = contents.length() - in.available();
      Range elements = new Range(contents.array(), contents.offset() + countLength, contents.length() - countLength);
      return new Bag(count == 0 ? List.of() : List.of(new Part(elements, count)));
    }

    /** {@code contents} as a bag: a stored cell's range is read as a whole bag. */
    static Bag from(CellBytes contents) {
      return contents instanceof Bag bag ? bag : of((Range) contents);
    }

    int count() {
      return count;
    }

    List<Part> parts() {
      return parts;
    }

    /** A new bag: this one's elements, then those of {@code more}. */
    Bag then(Bag more) {
      Bag joined = new Bag(parts);
      joined.addAll(more);
      return joined;
    }

    /** Adds the elements of {@code more} after this bag's own (a bag being parsed). */
    void addAll(Bag more) {
      parts.addAll(more.parts);
      count += more.count;
    }

    @Override
    public int length() {
      int length = VarInt.getLength(count);
      for (Part part : parts) {
        length += part.bytes().length();
      }
      return length;
    }

    @Override
    public void copyTo(byte[] target, int at) {
      at = StateBlob.putVarInt(count, target, at);
      for (Part part : parts) {
        part.bytes().copyTo(target, at);
        at += part.bytes().length();
      }
    }
  }
}
