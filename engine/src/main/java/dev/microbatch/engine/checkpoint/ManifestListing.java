package dev.microbatch.engine.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/** The committed manifests of a directory, newest first (temporary and foreign names skipped). */
final class ManifestListing {
  private ManifestListing() {}

  record Entry(long batchId, Path path) {}

  static List<Entry> newestFirst(DurableFiles files, Path root) throws IOException {
    Path dir = new Path(root, CheckpointLayout.MANIFEST_DIR);
    List<Entry> out = new ArrayList<>();
    FileStatus[] entries;
    try {
      entries = files.fs().listStatus(dir);
    } catch (FileNotFoundException e) {
      return out;
    }
    for (FileStatus s : entries) {
      OptionalLong batch = CheckpointLayout.manifestBatch(s.getPath().getName());
      // A directory named like a manifest is not one (SPARK-28912).
      if (batch.isPresent() && s.isFile()) {
        out.add(new Entry(batch.getAsLong(), s.getPath()));
      }
    }
    out.sort(Comparator.comparingLong(Entry::batchId).reversed());
    return out;
  }
}
