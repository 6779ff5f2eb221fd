package dev.microbatch.engine.state;

import java.util.Arrays;

/**
 * A key's encoded state: immutable arrays whose concatenation is the state's bytes. An operator
 * whose state grows by small amounts (a buffer a trigger has not fired yet) adds a chunk per batch
 * instead of copying the whole state into a new array every batch: those copies were a quarter of
 * all bytes allocated by Nexmark query 10, most of them arrays large enough to be humongous for
 * G1. A checkpoint writes the concatenation, so how a state was chunked never reaches a file.
 */
public final class StateBytes {
  private final byte[][] chunks;
  private final long length;

  private StateBytes(byte[][] chunks, long length) {
    this.chunks = chunks;
    this.length = length;
  }

  /** The state held in {@code bytes} (not copied: the caller must not change it); null for null. */
  public static StateBytes of(byte[] bytes) {
    return bytes == null ? null : new StateBytes(new byte[][] {bytes}, bytes.length);
  }

  /** This state followed by {@code chunk} (not copied); this instance is unchanged. */
  public StateBytes append(byte[] chunk) {
    byte[][] more = Arrays.copyOf(chunks, chunks.length + 1);
    more[chunks.length] = chunk;
    return new StateBytes(more, length + chunk.length);
  }

  /** This state with its last {@code count} chunks joined into one (copied); this instance is unchanged. */
  public StateBytes joinLast(int count) {
    if (count < 2 || count > chunks.length) {
      throw new IllegalArgumentException("Cannot join the last " + count + " of " + chunks.length + " chunks");
    }
    int first = chunks.length - count;
    long joinedLength = 0;
    for (int c = first; c < chunks.length; c++) {
      joinedLength += chunks[c].length;
    }
    byte[][] fewer = Arrays.copyOf(chunks, first + 1);
    fewer[first] = join(chunks, first, joinedLength);
    return new StateBytes(fewer, length);
  }

  /** How many bytes the chunks hold together. */
  public long length() {
    return length;
  }

  public int chunks() {
    return chunks.length;
  }

  /** The chunk at {@code index}, as it was given (the caller must not change it). */
  public byte[] chunk(int index) {
    return chunks[index];
  }

  /** The bytes in one array: the only chunk itself, or a copy of all of them joined. */
  public byte[] toArray() {
    return chunks.length == 1 ? chunks[0] : join(chunks, 0, length);
  }

  private static byte[] join(byte[][] chunks, int first, long length) {
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("A key's state of " + length + " bytes does not fit in one array");
    }
    byte[] all = new byte[(int) length];
    int at = 0;
    for (int c = first; c < chunks.length; c++) {
      System.arraycopy(chunks[c], 0, all, at, chunks[c].length);
      at += chunks[c].length;
    }
    return all;
  }
}
