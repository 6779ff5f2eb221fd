package dev.microbatch.engine.dstream;

import dev.microbatch.engine.shuffle.ByteKey;

/** An element together with the encoded key it was shuffled by. */
public record Keyed<T>(ByteKey key, T value) {}
