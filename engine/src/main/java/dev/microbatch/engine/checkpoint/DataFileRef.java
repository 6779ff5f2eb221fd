package dev.microbatch.engine.checkpoint;

/**
 * One immutable data file of a checkpoint, as a manifest lists it.
 *
 * @param path path relative to the checkpoint directory, e.g. {@code data/00000000000000000007-s3-p1.state}
 * @param length exact length in bytes
 * @param crc32c CRC32C of the whole file
 */
public record DataFileRef(String path, long length, int crc32c) {
  public DataFileRef {
    if (path == null || path.isEmpty() || path.startsWith("/")
        || java.util.Arrays.asList(path.split("/")).contains("..")) {
      throw new IllegalArgumentException("A data file path must be relative to the checkpoint directory: " + path);
    }
    if (length < 0) {
      throw new IllegalArgumentException("Negative length " + length + " for " + path);
    }
  }
}
