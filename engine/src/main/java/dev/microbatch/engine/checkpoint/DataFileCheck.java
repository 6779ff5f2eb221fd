package dev.microbatch.engine.checkpoint;

import java.io.IOException;
import org.apache.hadoop.fs.Path;

/** Whether a data file's bytes are what its manifest entry promises. */
final class DataFileCheck {
  private DataFileCheck() {}

  /** What is wrong with {@code bytes} as the content of {@code file}, or null if nothing. */
  static String problem(DataFileRef file, byte[] bytes) {
    if (bytes.length != file.length()) {
      return "data file " + file.path() + " has " + bytes.length + " bytes, the manifest says " + file.length();
    }
    int crc = DurableFiles.crc32c(bytes);
    if (crc != file.crc32c()) {
      return "data file " + file.path() + " has checksum " + Integer.toHexString(crc)
          + ", the manifest says " + Integer.toHexString(file.crc32c());
    }
    return null;
  }

  /**
   * Reads {@code file} from the directory {@code root}, checked against its reference; a file that
   * fails the check throws, its message starting with {@code where}.
   */
  static byte[] readChecked(DurableFiles files, Path root, DataFileRef file, String where)
      throws IOException {
    byte[] bytes = files.readAll(new Path(root, file.path()), file.length());
    String problem = problem(file, bytes);
    if (problem != null) {
      throw new CheckpointException(where + ": " + problem);
    }
    return bytes;
  }
}
