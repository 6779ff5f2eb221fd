package dev.microbatch.engine.dstream;

import java.util.Iterator;

/**
 * One partition of an input read as its consumer pulls records, inside the consumer's task,
 * instead of whole before the consumer runs. Progress and watermark are asked for only once the
 * reader is exhausted; {@link #close} is called exactly once, whether or not it was.
 */
public interface PartitionReader<T> extends Iterator<T>, AutoCloseable {

  /** The progress to commit if the batch commits, as {@link InputDStream.PartitionRead} has it. */
  Object progress();

  /** The partition's watermark after this read. */
  long watermark();

  @Override
  void close() throws Exception;
}
