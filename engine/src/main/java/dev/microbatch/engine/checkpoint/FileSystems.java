package dev.microbatch.engine.checkpoint;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** The file system durable engine files (checkpoints, write-ahead logs) are written through. */
public final class FileSystems {
  private FileSystems() {}

  /**
   * The file system of {@code path}. For local paths the raw one: our files carry checksums of
   * their own, Hadoop's {@code .crc} side files only add writes and files to clean up, and its
   * checksumming stream holds back partial chunks from {@code hflush}. The raw one is ours: it
   * sets permissions without forking a process.
   */
  public static FileSystem of(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    if (fs instanceof LocalFileSystem local) {
      FileSystem raw = new PosixLocalFileSystem();
      raw.initialize(local.getRaw().getUri(), conf);
      return raw;
    }
    return fs;
  }
}
