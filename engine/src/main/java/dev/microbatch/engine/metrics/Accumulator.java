package dev.microbatch.engine.metrics;

import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.shuffle.ElementCodec;
import java.io.IOException;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A value that tasks add to and that the engine merges: every finished task's part is merged into
 * the attempted value; a batch's parts are merged into the committed value only when the batch
 * commits. Values are mutable containers; {@code mergeInto(target, part)} adds {@code part} to
 * {@code target}.
 */
public final class Accumulator<V> {
  private final String name;
  private final Supplier<V> zero;
  private final BiConsumer<V, V> mergeInto;
  private final ElementCodec<V> codec;
  private final Object attemptedLock = new Object();
  private final Object committedLock = new Object();
  private V attempted;
  private V committed;

  public Accumulator(String name, Supplier<V> zero, BiConsumer<V, V> mergeInto) {
    this(name, zero, mergeInto, null);
  }

  /** An accumulator whose committed value a checkpoint saves, encoded with {@code codec}. */
  public Accumulator(
      String name, Supplier<V> zero, BiConsumer<V, V> mergeInto, ElementCodec<V> codec) {
    this.name = Objects.requireNonNull(name, "name");
    this.zero = Objects.requireNonNull(zero, "zero");
    this.mergeInto = Objects.requireNonNull(mergeInto, "mergeInto");
    this.codec = codec;
    this.attempted = zero.get();
    this.committed = zero.get();
  }

  /** Whether a checkpoint can save this accumulator's committed value. */
  public boolean isCheckpointed() {
    return codec != null;
  }

  /** The committed value, encoded for a checkpoint. */
  public byte[] encodeCommitted() throws IOException {
    synchronized (committedLock) {
      return Encoding.encode(codec, committed);
    }
  }

  /**
   * Replaces both values by a committed value a checkpoint saved: a restored run starts with what
   * the batches before the checkpoint committed, and has attempted nothing beyond it.
   */
  public void restoreCommitted(byte[] encoded) throws IOException {
    V restored = Encoding.decode(codec, encoded);
    V copy = Encoding.decode(codec, encoded);
    synchronized (committedLock) {
      committed = restored;
    }
    synchronized (attemptedLock) {
      attempted = copy;
    }
  }

  public String name() {
    return name;
  }

  /** Engine only. */
  public V newPart() {
    return zero.get();
  }

  /** Engine only. */
  public V merge(V target, V part) {
    mergeInto.accept(target, part);
    return target;
  }

  /** Engine only. */
  public void addAttempted(V part) {
    synchronized (attemptedLock) {
      mergeInto.accept(attempted, part);
    }
  }

  /** Engine only. */
  public void addCommitted(V part) {
    synchronized (committedLock) {
      mergeInto.accept(committed, part);
    }
  }

  /**
   * Adds a part reported outside the tasks, by work a batch's commit set off (such as finalizing
   * what a source read): its batch has committed, so the part counts as attempted and committed.
   */
  public void addAfterCommit(V part) {
    addAttempted(part);
    addCommitted(part);
  }

  /** Reads the attempted value under its lock; the reader must not keep the value. */
  public <R> R readAttempted(java.util.function.Function<V, R> reader) {
    synchronized (attemptedLock) {
      return reader.apply(attempted);
    }
  }

  /** Reads the committed value under its lock; the reader must not keep the value. */
  public <R> R readCommitted(java.util.function.Function<V, R> reader) {
    synchronized (committedLock) {
      return reader.apply(committed);
    }
  }

  @Override
  public String toString() {
    return "Accumulator(" + name + ")";
  }
}
