package dev.microbatch.engine.checkpoint;

import dev.microbatch.engine.time.Clock;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The one writer of a checkpoint directory. Per batch: {@link #writeData} each new data file,
 * then {@link #commit} a manifest listing them plus any older files still valid (incremental
 * checkpoints). Not thread-safe: the driver commits batches in order from one thread.
 */
public final class CheckpointWriter implements Closeable {
  private final DurableFiles files;
  private final Path root;
  private final WriterLease lease;
  private final Retention retention;
  /** A data file written and not committed yet. */
  private record Written(long batchId, long length) {}

  private final Map<String, Written> writtenSinceCommit = new HashMap<>();
  private long lastCommitted;

  private CheckpointWriter(DurableFiles files, Path root, WriterLease lease, long lastCommitted) {
    this.files = files;
    this.root = root;
    this.lease = lease;
    this.retention = new Retention(files, root);
    this.lastCommitted = lastCommitted;
  }

  static CheckpointWriter open(
      DurableFiles files, Path root, String owner, Clock clock, long leaseTimeoutMillis) throws IOException {
    FormatMarker.check(files, root, true);
    WriterLease lease = WriterLease.acquire(files, root, clock, owner, leaseTimeoutMillis);
    files.fs().mkdirs(new Path(root, CheckpointLayout.MANIFEST_DIR));
    files.fs().mkdirs(new Path(root, CheckpointLayout.DATA_DIR));
    List<ManifestListing.Entry> manifests = ManifestListing.newestFirst(files, root);
    long last = manifests.isEmpty() ? -1 : manifests.get(0).batchId();
    // What a killed writer left half-done: temporary files, and data files of a batch it never
    // committed (the next attempt of that batch writes the same names again).
    new Retention(files, root).removeLeftovers(last);
    return new CheckpointWriter(files, root, lease, last);
  }

  /** The batch of the newest committed manifest, or -1 if there is none. */
  public long lastCommittedBatch() {
    return lastCommitted;
  }

  public long epoch() {
    return lease.epoch();
  }

  /** The path, relative to the directory, that {@link #writeData} gives a file. */
  public static String dataPath(long batchId, String name) {
    return CheckpointLayout.dataPath(batchId, name);
  }

  /**
   * Writes one immutable data file for {@code batchId}, synced before it returns.
   *
   * @param name unique within the batch, 1-200 characters of {@code [A-Za-z0-9._-]}, e.g.
   *     {@code s3-p1.state}
   */
  public DataFileRef writeData(long batchId, String name, byte[] payload) throws IOException {
    return writeData(batchId, name, out -> out.write(payload));
  }

  /**
   * Like {@link #writeData(long, String, byte[])}, with the bytes streamed to the file as {@code
   * content} writes them (a large state file is never held whole in memory).
   */
  public DataFileRef writeData(long batchId, String name, DataFileContent content)
      throws IOException {
    requireNewBatch(batchId);
    String relative = CheckpointLayout.dataPath(batchId, name);
    DurableFiles.Written written;
    try {
      written = files.writeNew(new Path(root, relative), content);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException | FileAlreadyExistsException e) {
      throw new CheckpointException("Data file " + relative + " in " + root + " was already written for this batch", e);
    }
    writtenSinceCommit.put(relative, new Written(batchId, written.length()));
    return new DataFileRef(relative, written.length(), written.crc32c());
  }

  /**
   * Reads back a data file this writer wrote or a retained checkpoint lists, checked against its
   * reference (length and checksum).
   */
  public byte[] readData(DataFileRef file) throws IOException {
    return DataFileCheck.readChecked(files, root, file, "Checkpoint directory " + root);
  }

  /**
   * Commits the checkpoint of {@code batchId}: publishes its manifest atomically, then deletes
   * manifests beyond the newest {@value CheckpointLayout#RETAINED_MANIFESTS} and every data file
   * no retained manifest references.
   *
   * @param dataFiles every file the checkpoint needs: written for this batch, or taken from an
   *     earlier checkpoint that is still retained
   * @throws WriterFencedException if a newer writer took the directory over
   */
  public Manifest commit(long batchId, long batchTimeMillis, Map<String, String> metadata, List<DataFileRef> dataFiles)
      throws IOException {
    return commit(batchId, batchTimeMillis, metadata, dataFiles, Failpoint.NONE);
  }

  /** {@link #commit}, reaching the test-only {@code failpoint} while cleaning up. */
  public Manifest commit(
      long batchId,
      long batchTimeMillis,
      Map<String, String> metadata,
      List<DataFileRef> dataFiles,
      Failpoint failpoint)
      throws IOException {
    requireNewBatch(batchId);
    lease.checkNotFenced();
    Set<String> taken = new HashSet<>();
    for (DataFileRef file : dataFiles) {
      taken.add(file.path());
      Written written = writtenSinceCommit.get(file.path());
      if (written != null) {
        requireLength(file, written.length());
      } else if (!retention.newestReferences(file.path())) {
        // Neither just written nor in the last checkpoint, which was checked when it committed.
        requirePresent(file);
      }
    }
    // Files of this batch or an earlier one that the manifest does not take: a failed commit's.
    boolean strayData = writtenSinceCommit.entrySet().stream()
        .anyMatch(e -> e.getValue().batchId() <= batchId && !taken.contains(e.getKey()));
    // The data files' names must be as durable as their bytes before a manifest points at them.
    files.syncEntries(new Path(root, CheckpointLayout.DATA_DIR));
    Manifest manifest = new Manifest(
        CheckpointLayout.FORMAT_VERSION, batchId, batchTimeMillis, lease.epoch(), metadata, dataFiles);
    Path target = new Path(new Path(root, CheckpointLayout.MANIFEST_DIR), CheckpointLayout.manifestName(batchId));
    try {
      files.writeAtomically(target, ManifestCodec.encode(manifest));
    } catch (FileAlreadyExistsException e) {
      throw new CheckpointException(
          "Checkpoint of batch " + batchId + " already exists in " + root + ": another writer committed it", e);
    }
    lastCommitted = batchId;
    writtenSinceCommit.values().removeIf(w -> w.batchId() <= batchId);
    lease.renewIfDue();
    lease.checkNotFenced(); // never delete on behalf of a writer that lost the directory
    retention.apply(manifest, target, strayData, failpoint);
    return manifest;
  }

  /**
   * Shows this writer is alive without committing (commits renew too), for a driver that may go
   * longer than the lease timeout between checkpoints.
   *
   * @throws WriterFencedException if a newer writer took the directory over
   */
  public void renewLease() throws IOException {
    lease.checkNotFenced();
    lease.renew();
  }

  /** Releases the lease, so the next writer can start at once. */
  @Override
  public void close() throws IOException {
    lease.release();
  }

  private void requireNewBatch(long batchId) {
    if (batchId <= lastCommitted) {
      throw new IllegalArgumentException(
          "Batch " + batchId + " is not after the last committed checkpoint, batch " + lastCommitted);
    }
  }

  private void requirePresent(DataFileRef file) throws IOException {
    Path path = new Path(root, file.path());
    FileStatus status;
    try {
      status = files.fs().getFileStatus(path);
    } catch (java.io.FileNotFoundException e) {
      throw new CheckpointException("Cannot commit: data file " + file.path() + " does not exist in " + root);
    }
    requireLength(file, status.getLen());
  }

  private static void requireLength(DataFileRef file, long length) throws CheckpointException {
    if (length != file.length()) {
      throw new CheckpointException("Cannot commit: data file " + file.path() + " has " + length
          + " bytes, the reference says " + file.length());
    }
  }
}
