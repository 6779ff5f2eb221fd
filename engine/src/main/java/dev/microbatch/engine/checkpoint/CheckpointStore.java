package dev.microbatch.engine.checkpoint;

import dev.microbatch.engine.time.Clock;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A checkpoint directory on any Hadoop file system ({@code file://}, a plain local path,
 * {@code hdfs://}, {@code s3a://}): recovery reads through {@link #latest()}, the single writer
 * through {@link #openWriter}. The layout and guarantees are in docs/architecture.md §8.
 */
public final class CheckpointStore {
  /** How long a writer that stopped renewing its lease (by committing) still counts as live. */
  public static final long DEFAULT_LEASE_TIMEOUT_MILLIS = 60_000;

  private final DurableFiles files;
  private final Path root;

  private CheckpointStore(DurableFiles files, Path root) {
    this.files = files;
    this.root = root;
  }

  /** The store at {@code location}, a URI or a local path; nothing is read or written yet. */
  public static CheckpointStore open(String location, Configuration conf) throws IOException {
    Path path = new Path(location);
    // Our manifests carry CRC32C of every file, so local paths use the raw file system.
    FileSystem fs = FileSystems.of(path, conf);
    return new CheckpointStore(new DurableFiles(fs), fs.makeQualified(path));
  }

  /** The qualified directory, e.g. {@code hdfs://nn:8020/ckpt}. */
  public Path root() {
    return root;
  }

  /**
   * The checkpoint to restore from: the newest that validates, or empty for a new or empty
   * directory.
   *
   * @throws CheckpointException if the directory is of another format, or has manifests and none
   *     of them validates
   */
  public Optional<Checkpoint> latest() throws IOException {
    return Recovery.newestValid(files, root);
  }

  /**
   * Becomes the directory's writer.
   *
   * @param owner a name for this writer in lease files and errors (e.g. host, process, run id)
   * @param clock the engine's clock: lease liveness is judged by it, never by the wall clock
   * @param leaseTimeoutMillis a writer that has neither committed nor closed for this long is
   *     taken to be dead and may be taken over
   * @throws CheckpointException if another writer is live, or the directory is of another format
   */
  public CheckpointWriter openWriter(String owner, Clock clock, long leaseTimeoutMillis) throws IOException {
    return CheckpointWriter.open(files, root, owner, clock, leaseTimeoutMillis);
  }
}
