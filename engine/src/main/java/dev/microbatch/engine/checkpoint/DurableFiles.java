package dev.microbatch.engine.checkpoint;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * The few file operations a crash-safe commit needs, on any Hadoop {@link FileSystem}: a write
 * that is durable when it returns, and a publish step that is atomic and never overwrites.
 *
 * <p>Hadoop's {@code FileSystem.rename} overwrites an existing file on the local file system
 * (POSIX rename does), so publishing there uses a hard link, which fails if the target exists;
 * elsewhere it uses {@code FileContext.rename(NONE)}, which HDFS does atomically and refuses to
 * overwrite. On object stores (S3A) rename is copy + delete and not atomic: see architecture §8.
 */
final class DurableFiles {
  private final FileSystem fs;

  DurableFiles(FileSystem fs) {
    this.fs = fs;
  }

  FileSystem fs() {
    return fs;
  }

  /** Creates {@code path} (failing if it exists) with {@code bytes}, synced to disk. */
  void writeNew(Path path, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(path, false)) {
      out.write(bytes);
      sync(out);
    }
  }

  /** What a streamed file holds: its length and CRC32C. */
  record Written(long length, int crc32c) {}

  /**
   * Creates {@code path} (failing if it exists) with what {@code content} writes, synced to disk;
   * the bytes stream to the file as they are written, never held whole in memory.
   */
  Written writeNew(Path path, DataFileContent content) throws IOException {
    try (FSDataOutputStream out = fs.create(path, false)) {
      CRC32C crc = new CRC32C();
      CheckedOutputStream checked = new CheckedOutputStream(out, crc);
      BufferedOutputStream buffered = new BufferedOutputStream(checked, 1 << 16);
      content.writeTo(buffered);
      buffered.flush();
      sync(out);
      return new Written(out.getPos(), (int) crc.getValue());
    }
  }

  /**
   * Makes the entries of {@code dir} durable. Only the local file system needs this (HDFS
   * persists names on the NameNode); one call covers every file created in it so far.
   */
  void syncEntries(Path dir) throws IOException {
    java.io.File local = localFile(dir);
    if (local != null) {
      syncDirectory(local);
    }
  }

  /** Writes {@code bytes} under a temporary name, then publishes them as {@code target}. */
  void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = CheckpointLayout.temporaryFor(target);
    writeNew(tmp, bytes);
    try {
      publish(tmp, target);
    } finally {
      // After a successful publish the temporary name is gone already (or is a second link).
      fs.delete(tmp, false);
    }
  }

  /**
   * Makes {@code tmp} visible as {@code target} in one atomic step.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists
   */
  void publish(Path tmp, Path target) throws IOException {
    java.io.File local = localFile(target);
    if (local != null) {
      java.io.File src = localFile(tmp);
      try {
        Files.createLink(local.toPath(), src.toPath());
      } catch (FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(target.toString());
      }
      fs.delete(tmp, false);
      syncDirectory(local.getParentFile());
      return;
    }
    try {
      FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, target, Options.Rename.NONE);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(target.toString());
    }
  }

  /** The whole content of {@code path}. */
  byte[] readAll(Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  /**
   * The whole content of {@code path}, expected to be {@code length} bytes: read into one array of
   * that size in a few large reads (a chain's files are megabytes; reading them in small chunks
   * cost a thousand system calls per compaction). Returns what is there if it differs.
   */
  byte[] readAll(Path path, long length) throws IOException {
    if (length < 0 || length >= Integer.MAX_VALUE - 8) {
      return readAll(path);
    }
    try (FSDataInputStream in = fs.open(path)) {
      byte[] bytes = new byte[(int) length];
      int read = in.readNBytes(bytes, 0, bytes.length);
      if (read < bytes.length) {
        return Arrays.copyOf(bytes, read);
      }
      byte[] more = in.readAllBytes();
      if (more.length == 0) {
        return bytes;
      }
      byte[] longer = Arrays.copyOf(bytes, bytes.length + more.length);
      System.arraycopy(more, 0, longer, bytes.length, more.length);
      return longer;
    }
  }

  static int crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  /** Whether {@code path} exists; missing parents count as missing. */
  boolean exists(Path path) throws IOException {
    try {
      fs.getFileStatus(path);
      return true;
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  // hsync where the stream can (HDFS, the local file system); hflush is the best the others offer.
  private static void sync(FSDataOutputStream out) throws IOException {
    if (out.hasCapability(StreamCapabilities.HSYNC)) {
      out.hsync();
    } else {
      out.hflush();
    }
  }

  // The java.io.File behind a path on the local file system, or null on any other file system.
  private java.io.File localFile(Path path) {
    if (fs instanceof LocalFileSystem local) {
      return local.pathToFile(path);
    }
    if (fs instanceof RawLocalFileSystem raw) {
      return raw.pathToFile(path);
    }
    return null;
  }

  // A new or renamed directory entry is durable only once its directory is synced.
  private static void syncDirectory(java.io.File dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir.toPath(), StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for sync; the rename itself stays atomic.
    }
  }
}
