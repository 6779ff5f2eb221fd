package dev.microbatch.engine.dstream;

/**
 * What a stream needs of the context that owns it: the graph it joins and the partition count.
 * Streams know this much and nothing of how the context runs, so the stream package does not
 * depend on the context (which depends on it).
 */
public interface StreamOwner {
  StreamGraph graph();

  /** The number of partitions of every stream of the graph. */
  int parallelism();
}
