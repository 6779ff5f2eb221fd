package dev.microbatch.streaming;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.dstream.InputDStream;

/**
 * An input of the streaming API: it never ends, and its data waits for the next batch interval
 * (batches follow the clock, as in Spark Streaming, never back to back).
 */
public abstract class ContinuousInput<T> extends InputDStream<T> {

  protected ContinuousInput(StreamingContext context, String name) {
    super(context, name);
  }

  @Override
  public final boolean isExhausted() {
    return false;
  }

  @Override
  public final boolean hasReadyData() {
    return false;
  }
}
