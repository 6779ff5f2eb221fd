package dev.microbatch.engine.exec;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A value that tasks add to and that the engine merges: every finished task's part is merged into
 * {@link #attempted()}; a batch's parts are merged into {@link #committed()} only when the batch
 * commits. Values are mutable containers; {@code mergeInto(target, part)} adds {@code part} to
 * {@code target}.
 */
public final class Accumulator<V> {
  private final String name;
  private final Supplier<V> zero;
  private final BiConsumer<V, V> mergeInto;
  private final V attempted;
  private final V committed;

  public Accumulator(String name, Supplier<V> zero, BiConsumer<V, V> mergeInto) {
    this.name = Objects.requireNonNull(name, "name");
    this.zero = Objects.requireNonNull(zero, "zero");
    this.mergeInto = Objects.requireNonNull(mergeInto, "mergeInto");
    this.attempted = zero.get();
    this.committed = zero.get();
  }

  public String name() {
    return name;
  }

  V newPart() {
    return zero.get();
  }

  V merge(V target, V part) {
    mergeInto.accept(target, part);
    return target;
  }

  void addAttempted(V part) {
    synchronized (attempted) {
      mergeInto.accept(attempted, part);
    }
  }

  void addCommitted(V part) {
    synchronized (committed) {
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
    synchronized (attempted) {
      return reader.apply(attempted);
    }
  }

  /** Reads the committed value under its lock; the reader must not keep the value. */
  public <R> R readCommitted(java.util.function.Function<V, R> reader) {
    synchronized (committed) {
      return reader.apply(committed);
    }
  }

  V attempted() {
    return attempted;
  }

  V committed() {
    return committed;
  }

  @Override
  public String toString() {
    return "Accumulator(" + name + ")";
  }
}
