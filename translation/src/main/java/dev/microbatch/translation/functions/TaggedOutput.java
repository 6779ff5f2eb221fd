package dev.microbatch.translation.functions;

import org.apache.beam.sdk.values.WindowedValue;

/** An element of a multi-output ParDo's stream: the index of its output and the value. */
public record TaggedOutput(int outputIndex, WindowedValue<?> value) {}
