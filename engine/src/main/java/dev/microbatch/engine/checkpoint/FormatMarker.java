package dev.microbatch.engine.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The {@code _FORMAT} file at the root of a checkpoint directory. It is checked before anything
 * else is read or written, so a directory of another format version (or of another program)
 * fails with one clear error instead of looking empty or corrupt.
 */
final class FormatMarker {
  private FormatMarker() {}

  /**
   * Checks the directory's format.
   *
   * @param create write the marker if the directory is new (a writer); a reader never writes
   * @return false if the directory is new: missing, or holding nothing but temporary files
   */
  static boolean check(DurableFiles files, Path root, boolean create) throws IOException {
    Path marker = new Path(root, CheckpointLayout.FORMAT_FILE);
    String expected = CheckpointLayout.formatLine();
    String found = readIfPresent(files, marker);
    if (found == null) {
      String other = firstNonTemporaryEntry(files, root);
      if (other != null) {
        throw new CheckpointException(
            "Checkpoint directory " + root + " has no " + CheckpointLayout.FORMAT_FILE + " marker but holds "
                + other + ": it was not written by this checkpoint format; use an empty directory");
      }
      if (!create) {
        return false;
      }
      files.fs().mkdirs(root);
      try {
        files.writeAtomically(marker, expected.getBytes(StandardCharsets.UTF_8));
        return true;
      } catch (FileAlreadyExistsException e) {
        found = readIfPresent(files, marker); // another writer created it first: check theirs
      } catch (FileNotFoundException | NoSuchFileException e) {
        // Our temporary marker vanished: a writer that started at the same time created the
        // marker and removed leftover temporary files. Check its marker; its lease stops us.
        found = readIfPresent(files, marker);
        if (found == null) {
          throw new CheckpointException(
              "Checkpoint directory " + root + ": the format marker being written was removed by another writer", e);
        }
      }
    }
    if (!expected.equals(found)) {
      throw new CheckpointException(
          "Checkpoint directory " + root + " was written in format '" + found.trim() + "', this build reads and writes '"
              + expected.trim() + "'; restore it with a matching build or use a new directory");
    }
    return true;
  }

  private static String readIfPresent(DurableFiles files, Path marker) throws IOException {
    try {
      return new String(files.readAll(marker), StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  private static String firstNonTemporaryEntry(DurableFiles files, Path root) throws IOException {
    FileStatus[] entries;
    try {
      entries = files.fs().listStatus(root);
    } catch (FileNotFoundException e) {
      return null;
    }
    for (FileStatus s : entries) {
      if (!CheckpointLayout.isTemporary(s.getPath().getName())) {
        return s.getPath().getName();
      }
    }
    return null;
  }
}
