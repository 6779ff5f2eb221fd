package dev.microbatch.engine.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
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
 *
 * <p>The first commit of a writer, and any commit after one that failed or left data files no
 * manifest took, sweeps the directory: it lists manifests and data and reads the retained
 * manifests. Otherwise the writer's own record of the retained manifests says what to delete, so a
 * commit costs no listing of a directory that holds every file of every chain (measured: listing
 * and reading it back took a sixth of the checkpoint thread's time at 100 files per chain).
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  /** A retained manifest and the data files it references. */
  private record Retained(Path path, Set<String> files) {}

  private final DurableFiles files;
  private final Path root;
  // Newest first; trusted only while `known` is true, i.e. after a sweep that read every one.
  private final Deque<Retained> retained = new ArrayDeque<>();
  private boolean known;

  Retention(DurableFiles files, Path root) {
    this.files = files;
    this.root = root;
  }

  /** Whether {@code dataPath} is referenced by the newest retained manifest this writer knows. */
  boolean newestReferences(String dataPath) {
    return known && !retained.isEmpty() && retained.peekFirst().files().contains(dataPath);
  }

  /**
   * Runs after {@code committed} is published at {@code path}.
   *
   * @param strayData whether this writer wrote data files that no manifest took (a failed commit):
   *     only a sweep finds them
   * @param failpoint test only: reached between deleting old manifests and deleting data
   */
  void apply(Manifest committed, Path path, boolean strayData, Failpoint failpoint) throws IOException {
    if (!known || strayData) {
      sweep(committed.batchId(), failpoint);
      return;
    }
    // Until this commit's cleanup is done, a failure leaves the record unsure: the next sweeps.
    known = false;
    retained.addFirst(new Retained(path, pathsOf(committed.files())));
    Deque<Retained> dropped = new ArrayDeque<>();
    while (retained.size() > CheckpointLayout.RETAINED_MANIFESTS) {
      Retained old = retained.removeLast();
      files.fs().delete(old.path(), false);
      dropped.add(old);
    }
    failpoint.reach("during-cleanup");
    Set<String> referenced = new HashSet<>();
    for (Retained kept : retained) {
      referenced.addAll(kept.files());
    }
    for (Retained old : dropped) {
      for (String data : old.files()) {
        if (!referenced.contains(data)) {
          files.fs().delete(new Path(root, data), false);
        }
      }
    }
    known = true;
  }

  // The whole directory: old manifests, then every data file of a committed batch none of the
  // retained manifests needs. Learns the retained manifests when it can read them all.
  private void sweep(long committedBatch, Failpoint failpoint) throws IOException {
    known = false;
    retained.clear();
    List<ManifestListing.Entry> manifests = ManifestListing.newestFirst(files, root);
    int keep = Math.min(CheckpointLayout.RETAINED_MANIFESTS, manifests.size());
    for (ManifestListing.Entry old : manifests.subList(keep, manifests.size())) {
      files.fs().delete(old.path(), false);
    }
    failpoint.reach("during-cleanup");
    Set<String> referenced = new HashSet<>();
    Deque<Retained> read = new ArrayDeque<>();
    for (ManifestListing.Entry kept : manifests.subList(0, keep)) {
      try {
        Set<String> paths = pathsOf(ManifestCodec.decode(files.readAll(kept.path())).files());
        referenced.addAll(paths);
        read.addLast(new Retained(kept.path(), paths));
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
    retained.addAll(read);
    known = true;
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

  private static Set<String> pathsOf(List<DataFileRef> refs) {
    Set<String> paths = new HashSet<>();
    for (DataFileRef f : refs) {
      paths.add(f.path());
    }
    return paths;
  }

  private FileStatus[] listData() throws IOException {
    try {
      return files.fs().listStatus(new Path(root, CheckpointLayout.DATA_DIR));
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }
}
