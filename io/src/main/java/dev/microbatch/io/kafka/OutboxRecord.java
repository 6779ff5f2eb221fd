package dev.microbatch.io.kafka;

/** One record a sink will write to Kafka, serialized: its key (may be null) and value bytes. */
public record OutboxRecord(byte[] key, byte[] value) {}
