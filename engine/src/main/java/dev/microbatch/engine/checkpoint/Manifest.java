package dev.microbatch.engine.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * The content of one committed checkpoint: which batch it covers and every data file it needs.
 *
 * @param formatVersion {@link CheckpointLayout#FORMAT_VERSION} of the writer
 * @param batchId the committed batch this checkpoint is the state after
 * @param batchTimeMillis that batch's time
 * @param writerEpoch the lease epoch of the writer that committed it
 * @param metadata small caller-defined entries (insertion order is kept)
 * @param files every data file this checkpoint needs, including older ones it shares
 */
public record Manifest(
    int formatVersion,
    long batchId,
    long batchTimeMillis,
    long writerEpoch,
    Map<String, String> metadata,
    List<DataFileRef> files) {
  public Manifest {
    metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    files = List.copyOf(files);
  }
}
