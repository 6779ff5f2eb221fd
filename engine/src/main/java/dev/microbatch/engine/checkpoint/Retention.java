package dev.microbatch.engine.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what no retained checkpoint needs: manifests beyond the newest three first, then the
 * data files none of the retained manifests references. Data is only ever deleted after a newer
 * manifest is durable (SPARK-6222 lost data by deleting earlier).
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final DurableFiles files;
  private final Path root;

  Retention(DurableFiles files, Path root) {
    this.files = files;
    this.root = root;
  }

  /**
   * Runs after the manifest of {@code committedBatch} is published.
   *
   * @param failpoint test only: reached between deleting old manifests and deleting data
   */
  void apply(long committedBatch, Failpoint failpoint) throws IOException {
    List<ManifestListing.Entry> manifests = ManifestListing.newestFirst(files, root);
    int keep = Math.min(CheckpointLayout.RETAINED_MANIFESTS, manifests.size());
    for (ManifestListing.Entry old : manifests.subList(keep, manifests.size())) {
      files.fs().delete(old.path(), false);
    }
    failpoint.reach("during-cleanup");
    Set<String> referenced = new HashSet<>();
    for (ManifestListing.Entry kept : manifests.subList(0, keep)) {
      try {
        for (DataFileRef f : ManifestCodec.decode(files.readAll(kept.path())).files()) {
          referenced.add(f.path());
        }
      } catch (IOException e) {
        // We cannot tell what an unreadable manifest needs, so delete no data this time.
        LOG.warn("Checkpoint directory {}: not deleting unreferenced data, manifest {} is unreadable: {}",
            root, kept.path().getName(), e.getMessage());
        return;
      }
    }
    for (FileStatus s : listData()) {
      String name = s.getPath().getName();
      OptionalLong batch = CheckpointLayout.dataBatch(name);
      // Files of a later batch are being written for the next commit: not ours to judge yet.
      if (batch.isPresent() && batch.getAsLong() <= committedBatch
          && !referenced.contains(CheckpointLayout.DATA_DIR + "/" + name)) {
        files.fs().delete(s.getPath(), false);
      }
    }
  }

  /**
   * Removes what a writer killed mid-checkpoint left: temporary files anywhere, and data files
   * of batches after {@code lastCommitted} (never referenced by a published manifest).
   */
  void removeLeftovers(long lastCommitted) throws IOException {
    for (String dir : new String[] {"", CheckpointLayout.MANIFEST_DIR, CheckpointLayout.DATA_DIR}) {
      Path path = dir.isEmpty() ? root : new Path(root, dir);
      FileStatus[] entries;
      try {
        entries = files.fs().listStatus(path);
      } catch (FileNotFoundException e) {
        continue;
      }
      for (FileStatus s : entries) {
        String name = s.getPath().getName();
        OptionalLong batch = CheckpointLayout.dataBatch(name);
        boolean uncommittedData = dir.equals(CheckpointLayout.DATA_DIR) && batch.isPresent()
            && batch.getAsLong() > lastCommitted;
        if (CheckpointLayout.isTemporary(name) || uncommittedData) {
          LOG.info("Checkpoint directory {}: removing {} left by an earlier writer", root, s.getPath());
          files.fs().delete(s.getPath(), false);
        }
      }
    }
  }

  private FileStatus[] listData() throws IOException {
    try {
      return files.fs().listStatus(new Path(root, CheckpointLayout.DATA_DIR));
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }
}
