package dev.microbatch.streaming;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A custom source, as Spark's {@code Receiver}: {@link #onStart()} starts the threads that receive
 * data (it must not block) and they hand it over with {@code store}; {@link #onStop()} stops them.
 * A {@code store} returns once the data is safe: with a checkpoint directory, written to the
 * receiver's write-ahead log, so a crash after it returns loses nothing. On trouble, call {@link
 * #restart}: the receiver is stopped and started again after a growing delay.
 */
public abstract class Receiver<T> {
  private volatile ReceiverInput<T> input;

  /** Starts receiving, on threads of the receiver's own; must return at once. */
  public abstract void onStart();

  /** Stops receiving: ends the threads {@link #onStart()} started. */
  public abstract void onStop();

  /** Stores one record (a block of its own; store several at once for throughput). */
  public final void store(T record) {
    List<T> one = new ArrayList<>(1);
    one.add(record);
    store(one);
  }

  /** Stores the records as one block, durably when the context checkpoints. */
  public final void store(List<T> records) {
    attached().store(records);
  }

  public final void store(Iterator<T> records) {
    List<T> all = new ArrayList<>();
    records.forEachRemaining(all::add);
    store(all);
  }

  /** True once the receiver is being stopped or restarted: its threads should end. */
  public final boolean isStopped() {
    ReceiverInput<T> current = input;
    return current == null || current.isReceiverStopped();
  }

  /** Stops and, after a delay, starts the receiver again, logging why. */
  public final void restart(String message) {
    restart(message, null);
  }

  public final void restart(String message, Throwable error) {
    attached().restartReceiver(message, error);
  }

  /** Logs an error without restarting. */
  public final void reportError(String message, Throwable error) {
    attached().reportError(message, error);
  }

  void attach(ReceiverInput<T> owner) {
    if (input != null && input != owner) {
      throw new IllegalStateException("A receiver can feed one stream only.");
    }
    input = owner;
  }

  private ReceiverInput<T> attached() {
    ReceiverInput<T> current = input;
    if (current == null) {
      throw new IllegalStateException("The receiver is not attached to a started stream.");
    }
    return current;
  }
}
