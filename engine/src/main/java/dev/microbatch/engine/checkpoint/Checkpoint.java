package dev.microbatch.engine.checkpoint;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/** A committed checkpoint that validated on recovery: its manifest and access to its data files. */
public final class Checkpoint {
  private final Manifest manifest;
  private final DurableFiles files;
  private final Path root;

  Checkpoint(Manifest manifest, DurableFiles files, Path root) {
    this.manifest = manifest;
    this.files = files;
    this.root = root;
  }

  public long batchId() {
    return manifest.batchId();
  }

  public long batchTimeMillis() {
    return manifest.batchTimeMillis();
  }

  public Map<String, String> metadata() {
    return manifest.metadata();
  }

  /** Every data file of this checkpoint; hand them to the next commit to share them. */
  public List<DataFileRef> files() {
    return manifest.files();
  }

  public Manifest manifest() {
    return manifest;
  }

  /**
   * The content of one of this checkpoint's data files, checked against the manifest again (the
   * file may have been damaged since recovery validated it).
   */
  public byte[] read(DataFileRef file) throws IOException {
    if (!manifest.files().contains(file)) {
      throw new IllegalArgumentException(file + " is not part of checkpoint " + batchId());
    }
    return DataFileCheck.readChecked(files, root, file, "Checkpoint " + batchId() + " in " + root);
  }
}
