package dev.microbatch.engine.state;

import java.io.IOException;

/**
 * How a checkpoint writes the timers of a {@link KeyedStateStore}: each timer as bytes, its id
 * recovered from the timer itself (so a checkpoint does not write it twice). Timers that are bytes
 * already are written as they are. A restore decodes equal encodings once and shares the timer
 * among keys, so timers must be immutable.
 *
 * @param <I> the operator's timer ids
 * @param <T> what the operator gets back when a timer fires
 */
public interface TimerCodec<I, T> {
  byte[] encode(T timer) throws IOException;

  T decode(byte[] bytes) throws IOException;

  /** The id the timer was set under. */
  I idOf(T timer) throws IOException;
}
