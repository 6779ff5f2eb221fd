package dev.microbatch.engine.dstream;

import java.util.List;

/**
 * What one partition of a stateful stage produced in a batch.
 *
 * @param records the output elements
 * @param hold the earliest event time the partition may still emit later
 */
public record StageOutput<O>(List<O> records, long hold) {}
