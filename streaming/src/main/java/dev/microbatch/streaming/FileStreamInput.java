package dev.microbatch.streaming;

import dev.microbatch.engine.StreamingContext;
import dev.microbatch.engine.checkpoint.Encoding;
import dev.microbatch.engine.dstream.TaskContext;
import dev.microbatch.engine.event.Watermarks;
import dev.microbatch.streaming.function.Function2;
import dev.microbatch.streaming.internal.Sneaky;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.ReflectionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fileStream} and {@code textFileStream}: the records of each new file in a directory of any
 * Hadoop file system, read whole with a Hadoop {@code InputFormat} (for text, {@code
 * TextInputFormat}: its lines) and converted by the program (Hadoop reuses its key and value
 * objects), each file once. A file is taken once two listings (two batches) in a row saw it with the same length
 * and modification time, so a file still being written is not read half (moving finished files
 * in is still best); names starting with {@code .} or {@code _} and Hadoop's {@code ._COPYING_}
 * files are ignored. A file that cannot be read is reported and tried again in the next batch. The
 * position is the set of files read so far that are still in the directory.
 */
final class FileStreamInput<K, V, R> extends ContinuousInput<R> {
  private static final Logger LOG = LoggerFactory.getLogger(FileStreamInput.class);

  /** A file as a listing saw it. */
  private record Seen(long length, long modificationTime) {}

  /** A file this batch reads, with the length two listings agreed on. */
  private record NewFile(String name, long length) {}

  /** A failure of the program's conversion: it fails the batch, unlike a file that cannot be read. */
  private static final class ConversionFailure extends RuntimeException {
    ConversionFailure(Exception cause) {
      super(cause);
    }
  }

  private final Path directory;
  private final Class<? extends InputFormat<K, V>> format;
  private final Function2<K, V, R> convert;
  private final Configuration conf = new Configuration();
  private volatile Set<String> processed = Set.of();
  private Map<String, Seen> previousListing = Map.of();

  FileStreamInput(
      StreamingContext context,
      String directory,
      Class<? extends InputFormat<K, V>> format,
      Function2<K, V, R> convert) {
    super(context, "fileStream");
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("A file stream needs a directory.");
    }
    this.directory = new Path(directory);
    this.format = format;
    this.convert = convert;
  }

  @Override
  protected PartitionRead<R> read(int partition, TaskContext task) {
    List<NewFile> files = task.batchShared(this, this::newFiles);
    List<R> records = new ArrayList<>();
    List<String> read = new ArrayList<>();
    for (int i = partition; i < files.size(); i += task.numPartitions()) {
      String name = files.get(i).name();
      try {
        records.addAll(readFile(new Path(directory, name), files.get(i).length()));
        read.add(name);
      } catch (IOException e) {
        LOG.warn("fileStream {}: cannot read {} now ({}); trying again in the next batch", directory, name, e.toString());
      } catch (ConversionFailure e) {
        throw Sneaky.rethrow(e.getCause());
      }
    }
    return new PartitionRead<>(records, read, Watermarks.MIN);
  }

  /** Every record of {@code file} ({@code length} bytes, as listed), as one split read with the input format. */
  private List<R> readFile(Path file, long length) throws IOException {
    InputFormat<K, V> input = ReflectionUtils.newInstance(format, conf);
    TaskAttemptContext attempt = new TaskAttemptContextImpl(conf, new TaskAttemptID());
    FileSplit split = new FileSplit(file, 0, length, new String[0]);
    List<R> records = new ArrayList<>();
    try (RecordReader<K, V> reader = input.createRecordReader(split, attempt)) {
      reader.initialize(split, attempt);
      while (reader.nextKeyValue()) {
        R converted;
        try {
          converted = convert.call(reader.getCurrentKey(), reader.getCurrentValue());
        } catch (Exception e) {
          throw new ConversionFailure(e);
        }
        records.add(converted);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while reading " + file, e);
    }
    return records;
  }

  /** The files this batch reads: new ones that did not change since the previous listing. */
  private synchronized List<NewFile> newFiles() {
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
    List<NewFile> stable = new ArrayList<>();
    for (Map.Entry<String, Seen> file : listing.entrySet()) {
      if (!processed.contains(file.getKey()) && file.getValue().equals(previousListing.get(file.getKey()))) {
        stable.add(new NewFile(file.getKey(), file.getValue().length()));
      }
    }
    previousListing = listing;
    stable.sort(Comparator.comparing(NewFile::name));
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
    return "fileStream-v1/" + format.getName();
  }

}
