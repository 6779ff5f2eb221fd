package dev.microbatch.engine.state;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * A checkpoint file in memory, read from a position on: what a restore and a compaction read keyed
 * state through. Unlike a {@code DataInputStream} over a {@code ByteArrayInputStream}, a byte
 * costs no lock and no call through two streams, and a field can be skipped or compared where it
 * lies instead of copied out.
 */
public final class ByteSpan {
  private final byte[] data;
  private final int end;
  private int position;

  public ByteSpan(byte[] data) {
    this(data, 0, data.length);
  }

  public ByteSpan(byte[] data, int from, int to) {
    if (from < 0 || to > data.length || from > to) {
      throw new IndexOutOfBoundsException("Span " + from + ".." + to + " of " + data.length + " bytes");
    }
    this.data = data;
    this.position = from;
    this.end = to;
  }

  /** The array the span reads: fields may be used in place, never changed. */
  byte[] array() {
    return data;
  }

  public int position() {
    return position;
  }

  /** Goes back to {@code at}, a position this span has read past (to read a field again). */
  void rewind(int at) {
    if (at > position || at < 0) {
      throw new IndexOutOfBoundsException("Cannot rewind to " + at + " from " + position);
    }
    position = at;
  }

  public int remaining() {
    return end - position;
  }

  public byte readByte() throws IOException {
    require(1);
    return data[position++];
  }

  public int readUnsignedByte() throws IOException {
    return readByte() & 0xFF;
  }

  /** Big-endian, as {@code DataOutputStream.writeLong} writes it. */
  public long readLong() throws IOException {
    require(8);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (data[position++] & 0xFF);
    }
    return value;
  }

  /** An unsigned LEB128 varint of at most 10 bytes. */
  public long varint() throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readUnsignedByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("Corrupt keyed state: a varint of more than 10 bytes");
  }

  /** A copy of the next {@code length} bytes. */
  public byte[] bytes(int length) throws IOException {
    require(length);
    byte[] copy = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return copy;
  }

  public void skip(int length) throws IOException {
    require(length);
    position += length;
  }

  /** The rest of the span, copied. */
  public byte[] rest() {
    byte[] copy = Arrays.copyOfRange(data, position, end);
    position = end;
    return copy;
  }

  private void require(int length) throws EOFException {
    if (length < 0 || length > end - position) {
      throw new EOFException(
          "Corrupt keyed state: " + length + " bytes announced, " + (end - position) + " left");
    }
  }
}
