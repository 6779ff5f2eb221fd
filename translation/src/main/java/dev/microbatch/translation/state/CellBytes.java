package dev.microbatch.translation.state;

import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * A cell's encoded contents without copying them: a range of an array (a stored cell is a view
 * into its key's blob), or ranges that follow each other (a bag: its count, the bytes it was
 * stored in, what the batch added). A key's new blob is then assembled with one copy of each byte.
 */
interface CellBytes {
  int length();

  /** Copies the contents to {@code target} from {@code at}. */
  void copyTo(byte[] target, int at);

  /** The contents to read: a view of a range, a copy of joined ranges. */
  default ByteArrayInputStream stream() {
    byte[] bytes = new byte[length()];
    copyTo(bytes, 0);
    return new ByteArrayInputStream(bytes);
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

  /** Ranges one after another. */
  record Joined(List<Range> parts) implements CellBytes {
    @Override
    public int length() {
      int length = 0;
      for (Range part : parts) {
        length += part.length();
      }
      return length;
    }

    @Override
    public void copyTo(byte[] target, int at) {
      for (Range part : parts) {
        part.copyTo(target, at);
        at += part.length();
      }
    }
  }
}
