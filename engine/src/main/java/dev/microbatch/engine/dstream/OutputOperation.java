package dev.microbatch.engine.dstream;

/** A registered output operation: what every batch job runs. */
public record OutputOperation<T>(DStream<T> stream, PartitionConsumer<T> consumer) {}
