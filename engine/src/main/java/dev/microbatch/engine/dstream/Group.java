package dev.microbatch.engine.dstream;

import dev.microbatch.engine.shuffle.ByteKey;
import java.util.List;

/** The elements of one partition of a batch that share an encoded key, in arrival order. */
public record Group<T>(ByteKey key, List<T> elements) {}
