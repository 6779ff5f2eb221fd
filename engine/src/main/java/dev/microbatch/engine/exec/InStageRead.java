package dev.microbatch.engine.exec;

import dev.microbatch.engine.dstream.InputDStream;
import dev.microbatch.engine.dstream.PartitionReader;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One task's read of an input inside the consumer's stage: counts what the consumer pulls, and at
 * the task's end reads to the end what the consumer left (a whole read would have read it too,
 * and its progress must cover it), then closes the reader.
 */
final class InStageRead<T> implements Iterator<T> {
  private final InputDStream<T> input;
  private final PartitionReader<T> reader;
  private long records;
  private boolean closed;

  InStageRead(InputDStream<T> input, PartitionReader<T> reader) {
    this.input = input;
    this.reader = reader;
  }

  InputDStream<T> input() {
    return input;
  }

  @Override
  public boolean hasNext() {
    return !closed && reader.hasNext();
  }

  @Override
  public T next() {
    if (closed) {
      throw new NoSuchElementException(input + " was read to its end");
    }
    T next = reader.next();
    records++;
    return next;
  }

  /** Reads the rest and closes the reader; what the partition read, with its progress. */
  InStageInputs.PartitionResult finish() throws Exception {
    while (hasNext()) {
      next();
    }
    InStageInputs.PartitionResult result =
        new InStageInputs.PartitionResult(records, reader.progress(), reader.watermark());
    close();
    return result;
  }

  /** Closes the reader once; later calls do nothing. */
  void close() throws Exception {
    if (!closed) {
      closed = true;
      reader.close();
    }
  }
}
