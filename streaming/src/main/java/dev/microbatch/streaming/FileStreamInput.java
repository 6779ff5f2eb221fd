package dev.microbatch.streaming;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.engine.exec.TaskContext;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code textFileStream}: the lines of each new file in a directory of any Hadoop file system, each
 * file once. A file is taken once two listings (two batches) in a row saw it with the same length
 * and modification time, so a file still being written is not read half (moving finished files
 * in is still best); names starting with {@code .} or {@code _} and Hadoop's {@code ._COPYING_}
 * files are ignored. A file that cannot be read is reported and tried again in the next batch. The
 * position is the set of files read so far that are still in the directory.
 */
final class FileStreamInput extends ContinuousInput<String> {
  private static final Logger LOG = LoggerFactory.getLogger(FileStreamInput.class);

  /** A file as a listing saw it. */
  private record Seen(long length, long modificationTime) {}

  private final Path directory;
  private final Configuration conf = new Configuration();
  private volatile Set<String> processed = Set.of();
  private Map<String, Seen> previousListing = Map.of();

  FileStreamInput(StreamingContext context, String directory) {
    super(context, "textFileStream");
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("textFileStream needs a directory.");
    }
    this.directory = new Path(directory);
  }

  @Override
  protected PartitionRead<String> read(int partition, TaskContext task) {
    List<String> files = task.batchShared(this, this::newFiles);
    List<String> lines = new ArrayList<>();
    List<String> read = new ArrayList<>();
    for (int i = partition; i < files.size(); i += task.numPartitions()) {
      String name = files.get(i);
      try {
        lines.addAll(readLines(new Path(directory, name)));
        read.add(name);
      } catch (IOException e) {
        LOG.warn("textFileStream {}: cannot read {} now ({}); trying again in the next batch", directory, name, e.toString());
      }
    }
    return new PartitionRead<>(lines, read, Watermarks.MIN);
  }

  private List<String> readLines(Path file) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The files this batch reads: new ones that did not change since the previous listing. */
  private synchronized List<String> newFiles() {
    Map<String, Seen> listing = new HashMap<>();
    try {
      FileSystem fs = directory.getFileSystem(conf);
      if (fs.exists(directory)) {
        for (FileStatus file : fs.listStatus(directory)) {
          String name = file.getPath().getName();
          if (file.isFile() && !name.startsWith(".") && !name.startsWith("_") && !name.endsWith("._COPYING_")) {
            listing.put(name, new Seen(file.getLen(), file.getModificationTime()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("textFileStream cannot list " + directory, e);
    }
    List<String> stable = new ArrayList<>();
    for (Map.Entry<String, Seen> file : listing.entrySet()) {
      if (!processed.contains(file.getKey()) && file.getValue().equals(previousListing.get(file.getKey()))) {
        stable.add(file.getKey());
      }
    }
    previousListing = listing;
    stable.sort(null);
    return stable;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected synchronized void commit(List<Object> progress) {
    Set<String> next = new HashSet<>(processed);
    for (Object partition : progress) {
      next.addAll((List<String>) partition);
    }
    // Files gone from the directory cannot come back under the same listing: forget them.
    next.retainAll(previousListing.keySet());
    processed = Set.copyOf(next);
  }

  /** The position: int32 count, then each file name read so far as int32 length and UTF-8. */
  @Override
  protected byte[] checkpointPosition() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      Set<String> names = new TreeSet<>(processed);
      out.writeInt(names.size());
      for (String name : names) {
        Encoding.writeString(out, name);
      }
    }
    return bytes.toByteArray();
  }

  @Override
  protected void restorePosition(byte[] position) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(position));
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("Corrupt checkpoint data: " + count + " files read");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < count; i++) {
      names.add(Encoding.readString(in));
    }
    processed = Set.copyOf(names);
  }

  @Override
  public String checkpointFingerprint() {
    return "textFileStream-v1";
  }

}
