package dev.microbatch.engine.checkpoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the checkpoint to restore: the newest manifest that parses, has this format version,
 * names its own batch, and whose every data file is present with the right length and checksum.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  static Optional<Checkpoint> newestValid(DurableFiles files, Path root) throws IOException {
    if (!FormatMarker.check(files, root, false)) {
      return Optional.empty();
    }
    List<ManifestListing.Entry> manifests = ManifestListing.newestFirst(files, root);
    List<String> problems = new ArrayList<>();
    for (ManifestListing.Entry entry : manifests) {
      String problem;
      try {
        Manifest manifest = ManifestCodec.decode(files.readAll(entry.path()));
        problem = problemWith(files, root, entry, manifest);
        if (problem == null) {
          if (!problems.isEmpty()) {
            LOG.warn("Checkpoint directory {}: restoring batch {}, the newest valid checkpoint, after skipping {}",
                root, entry.batchId(), problems.size() + " newer manifest(s)");
          }
          return Optional.of(new Checkpoint(manifest, files, root));
        }
      } catch (IOException e) {
        problem = entry.path().getName() + ": " + e.getMessage();
      }
      LOG.warn("Checkpoint directory {}: {}; falling back to the previous manifest", root, problem);
      problems.add(problem);
    }
    if (!problems.isEmpty()) {
      // Starting empty here would silently drop all state: refuse instead.
      throw new CheckpointException(
          "Checkpoint directory " + root + " has " + problems.size()
              + " manifest(s) and none validates: " + String.join("; ", problems));
    }
    return Optional.empty();
  }

  private static String problemWith(DurableFiles files, Path root, ManifestListing.Entry entry, Manifest manifest)
      throws IOException {
    String name = entry.path().getName();
    if (manifest.batchId() != entry.batchId()) {
      return name + ": holds batch " + manifest.batchId() + ", not the batch its name says";
    }
    for (DataFileRef file : manifest.files()) {
      Path path = new Path(root, file.path());
      if (!files.exists(path)) {
        return name + ": data file " + file.path() + " is missing";
      }
      String problem = DataFileCheck.problem(file, files.readAll(path));
      if (problem != null) {
        return name + ": " + problem;
      }
    }
    return null;
  }
}
